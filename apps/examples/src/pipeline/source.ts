// Stage 1: writes `count` Raw records straight into the channel's slots (no copy), then closes it.
import { Channel } from "@shmkit/core";
import { celsiusOf, RAW, WAIT } from "./channels.ts";
import { Raw } from "./records.generated.ts";

const count = Number(process.argv[2]);
using raw = Channel.open(RAW, { of: Raw });
const tx = raw.sender();
for (let seq = 1; seq <= count; seq++) {
  const at = tx.reserveWait(WAIT); // waits while the ring is full: back-pressure from the transform stage
  if (at < 0) throw new Error("source: the transform stage stopped reading");
  const r = Raw.attach(raw.segment, at); // the generated accessor over the slot's bytes
  r.seq = seq;
  r.sensor = seq % 8;
  r.celsius = celsiusOf(seq);
  tx.commit(Raw.SIZE);
}
tx.close(); // the transform's loop ends once it has read everything
