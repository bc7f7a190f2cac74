// The TypeScript reader: opens a segment (made here by the C writer) with the generated accessors. open()
// checks magic, format version and the layout fingerprint in the header before any field is read.
//   bun ts-reader.ts <segment>
import { Reading } from "./reading.generated.ts";
import { describe } from "./reading-text.ts";

const name = process.argv[2];
if (!name) {
  console.error("usage: ts-reader.ts <segment>");
  process.exit(2);
}
using shm = Reading.open(name, { timeoutMs: 5000 });
const r = shm.data;
// The same process-shared mutex the C writer locked, at the offset the C compiler chose (checked by the header's
// _Static_asserts). Copy out under the lock, print after it.
const line = r.mutex.withLock(() => describe(r), { timeoutMs: 5000 });
console.log(`ts-reader: ${line}`);
