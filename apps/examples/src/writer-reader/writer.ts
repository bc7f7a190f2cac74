// Seed 004's writer: shm_open(O_CREAT | O_EXCL | O_RDWR, 0600) → ftruncate → mmap → write → munmap → close.
// The segment outlives this process: the reader unlinks it.
//   bun run --filter examples writer [message]
import { Segment, ShmError } from "@shmkit/core";
import { HEADER_BYTES, MAX_MESSAGE_BYTES, SEGMENT, SEGMENT_SIZE } from "./message.ts";

const text = process.argv[2] ?? `Hello from the writer, pid ${process.pid}`;
const encoded = new TextEncoder().encode(text);
if (encoded.length > MAX_MESSAGE_BYTES) {
  console.error(`writer: the message has ${encoded.length} bytes; at most ${MAX_MESSAGE_BYTES} fit`);
  process.exit(1);
}

try {
  // `using` unmaps and closes at the end of the block (munmap + close); the name stays for the reader.
  using seg = Segment.create(SEGMENT, { size: SEGMENT_SIZE });
  seg.bytes.set(encoded, HEADER_BYTES);
  // Publish the length last: a reader that sees it sees the bytes before it.
  Atomics.store(new Uint32Array(seg.buffer, 0, 1), 0, encoded.length);
  console.log(`writer: wrote ${encoded.length} bytes to ${seg.name}: "${text}"`);
} catch (error) {
  if (error instanceof ShmError && error.code === "EEXIST") {
    console.error(
      `writer: ${error.message}; a message is waiting: run the reader, or remove it with shmkit rm ${SEGMENT}`,
    );
    process.exit(1);
  }
  throw error;
}
