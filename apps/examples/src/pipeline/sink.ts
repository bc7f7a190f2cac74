// Stage 3: reads Converted records, checks that every one arrived once, in order, correctly converted, and
// prints the throughput of the whole pipeline as seen from its end.
import { Channel } from "@shmkit/core";
import { CONVERTED, celsiusOf, fahrenheitOf, slotAccessors, WAIT } from "./channels.ts";
import { Converted } from "./records.generated.ts";

const expected = Number(process.argv[2]);
using converted = Channel.open(CONVERTED, { of: Converted });
const rx = converted.receiver();
const convertedAt = slotAccessors((at) => Converted.attach(converted.segment, at));
let received = 0;
let started = 0;
for (;;) {
  const at = rx.peekWait(WAIT);
  if (at < 0) {
    if (rx.closed) break;
    throw new Error("sink: the transform stage stopped sending");
  }
  if (received === 0) started = performance.now(); // from the first record: process start-up is not throughput
  const c = convertedAt(at);
  const seq = received + 1;
  if (c.seq !== seq) throw new Error(`sink: record ${c.seq} arrived where ${seq} was due`);
  if (c.celsius !== celsiusOf(seq) || c.fahrenheit !== fahrenheitOf(celsiusOf(seq))) {
    throw new Error(
      `sink: record ${seq} holds ${c.celsius} °C = ${c.fahrenheit} °F, which is not what was sent`,
    );
  }
  received = seq;
  rx.release();
}
const seconds = (performance.now() - started) / 1000;
if (received !== expected) throw new Error(`sink: ${received} records arrived, ${expected} were sent`);
const rate = seconds > 0 ? received / seconds : Number.POSITIVE_INFINITY;
console.log(
  `sink: ${received} records arrived in order and correctly converted, in ${(seconds * 1000).toFixed(1)} ms: ${(rate / 1e6).toFixed(2)} M records/s, ${((rate * Converted.SIZE) / 1e6).toFixed(1)} MB/s of Converted`,
);
