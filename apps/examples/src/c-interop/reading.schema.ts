// The one definition both languages share. `bun run codegen` writes reading.generated.ts (TypeScript accessors)
// and reading.generated.h (the C struct, with a _Static_assert per offset), so neither side is written by hand.
import { struct, t } from "@shmkit/layout-gen";

export const Reading = struct("Reading", {
  mutex: t.pthread_mutex, // process-shared and robust: guards every field below
  seq: t.u32, // bumped by each write
  writer_pid: t.i32,
  sensor: t.char(16), // NUL-terminated UTF-8, like a C string
  celsius: t.f64,
  samples: t.array(t.i16, 5),
  unit: t.enum("Unit", { CELSIUS: 0, KELVIN: 1 }),
});
