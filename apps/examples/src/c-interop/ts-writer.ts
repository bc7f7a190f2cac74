// The TypeScript writer: creates the typed segment (create() initialises the process-shared robust mutex) and
// fills the struct holding that mutex, for the C reader.
//   bun ts-writer.ts <segment> <sensor> <celsius>
import { Mutex } from "@shmkit/core";
import { Reading, Unit } from "./reading.generated.ts";

const [name, sensor, celsiusText] = process.argv.slice(2);
const celsius = Number(celsiusText);
if (!name || !sensor || !Number.isFinite(celsius)) {
  console.error("usage: ts-writer.ts <segment> <sensor> <celsius>");
  process.exit(2);
}
// The segment outlives this process: the C reader opens it, the runner unlinks it.
// Robust where the kernel keeps robust futex lists (not under qemu-user, where create() would refuse it).
using shm = Reading.create(name, { robust: Mutex.robustSupported });
const r = shm.data;
r.mutex.withLock(
  () => {
    r.seq += 1;
    r.writer_pid = process.pid;
    r.sensor = sensor; // longer than 15 UTF-8 bytes throws ShmArgumentError instead of cutting a character
    r.celsius = celsius;
    r.samples.forEach((_, i) => {
      r.samples[i] = Math.trunc(celsius * 10 + i); // int16_t, like (int16_t)(celsius * 10 + i) in writer.c
    });
    r.unit = Unit.CELSIUS;
  },
  { timeoutMs: 5000 },
);
console.log(`ts-writer: wrote Reading #${r.seq} to ${name}: sensor "${r.sensor}", ${r.celsius.toFixed(1)} C`);
