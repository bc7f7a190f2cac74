import type { Reading } from "./reading.generated.ts";
import { Unit } from "./reading.generated.ts";

/** One line that says what a Reading holds, in the same words as reader.c, so outputs can be compared. */
export function describe(r: Reading): string {
  const unit = r.unit === Unit.CELSIUS ? "C" : "K";
  return `Reading #${r.seq} from pid ${r.writer_pid}: sensor "${r.sensor}", ${r.celsius.toFixed(1)} ${unit}, samples ${[...r.samples].join(" ")}`;
}
