// Stage 1: writes `count` Raw records straight into the channel's slots (no copy), then closes it.
import { Channel } from "@shmkit/core";
import { celsiusOf, RAW, slotAccessors, WAIT } from "./channels.ts";
import { Raw } from "./records.generated.ts";

const count = Number(process.argv[2]);
using raw = Channel.open(RAW, { of: Raw });
const tx = raw.sender();
const rawAt = slotAccessors((at) => Raw.attach(raw.segment, at)); // the generated accessor over a slot
for (let seq = 1; seq <= count; seq++) {
  const at = tx.reserveWait(WAIT); // waits while the ring is full: back-pressure from the transform stage
  if (at < 0) throw new Error("source: the transform stage stopped reading");
  const r = rawAt(at);
  r.seq = seq;
  r.sensor = seq % 8;
  r.celsius = celsiusOf(seq);
  tx.commit(Raw.SIZE);
}
tx.close(); // the transform's loop ends once it has read everything
