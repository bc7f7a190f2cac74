// Stage 2: reads Raw records in place, writes Converted ones into the next channel, and passes on the close.
import { Channel } from "@shmkit/core";
import { CONVERTED, fahrenheitOf, RAW, slotAccessors, WAIT } from "./channels.ts";
import { Converted, Raw } from "./records.generated.ts";

using raw = Channel.open(RAW, { of: Raw });
using converted = Channel.open(CONVERTED, { of: Converted });
const rx = raw.receiver();
const tx = converted.sender();
const rawAt = slotAccessors((at) => Raw.attach(raw.segment, at));
const convertedAt = slotAccessors((at) => Converted.attach(converted.segment, at));
for (;;) {
  const from = rx.peekWait(WAIT);
  if (from < 0) {
    if (rx.closed) break; // closed and drained
    throw new Error("transform: the source stopped sending");
  }
  const to = tx.reserveWait(WAIT);
  if (to < 0) throw new Error("transform: the sink stopped reading");
  const r = rawAt(from);
  const c = convertedAt(to);
  c.seq = r.seq;
  c.sensor = r.sensor;
  c.celsius = r.celsius;
  c.fahrenheit = fahrenheitOf(r.celsius);
  tx.commit(Converted.SIZE);
  rx.release(); // only now may the source reuse the slot
}
tx.close();
