// Seed 004's reader: shm_open(O_RDONLY) → mmap → read → munmap → close → shm_unlink.
//   bun run --filter examples reader
import { Segment, ShmError } from "@shmkit/core";
import { HEADER_BYTES, MAX_MESSAGE_BYTES, SEGMENT } from "./message.ts";

try {
  {
    using seg = Segment.open(SEGMENT, { readonly: true, minSize: HEADER_BYTES });
    const length = Atomics.load(new Uint32Array(seg.buffer, 0, 1), 0);
    // Shared memory is input like any other: check the length before trusting it.
    if (length > Math.min(MAX_MESSAGE_BYTES, seg.size - HEADER_BYTES)) {
      console.error(
        `reader: ${seg.name} holds a length of ${length}, more than fits; not a writer's message`,
      );
      process.exit(1);
    }
    const text = new TextDecoder().decode(seg.bytes.subarray(HEADER_BYTES, HEADER_BYTES + length));
    console.log(`reader: read ${length} bytes from ${seg.name}: "${text}"`);
  }
  // As in the seed, the reader removes the segment once it has read it.
  Segment.unlink(SEGMENT);
  console.log(`reader: unlinked ${SEGMENT}`);
} catch (error) {
  if (error instanceof ShmError && error.code === "ENOENT") {
    console.error(`reader: ${error.message}; run the writer first`);
    process.exit(1);
  }
  throw error;
}
