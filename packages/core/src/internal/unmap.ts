import type { NativePointer } from "../segment.ts";
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_NORESERVE,
  MAP_PRIVATE,
  PROT_READ,
  PROT_WRITE,
} from "./libc/constants.ts";
import { libc } from "./libc/index.ts";

// Zero pages left where a segment was, unmapped once the buffer that views them is collected.
const placeholders = new FinalizationRegistry<[number, number]>(([address, length]) => {
  libc().munmap(address as NativePointer, length);
});

/**
 * Unmaps the `length` bytes at `address`, first detaching `buffer` (the ArrayBuffer over them, if one was made) so
 * that views user code still holds become empty instead of pointing at unmapped memory.
 *
 * Node 20 cannot detach it: `ArrayBuffer.prototype.transfer` came in Node 21, and its structuredClone copies an
 * external buffer instead of detaching it. There, private zero pages replace the mapping in one step (`MAP_FIXED`),
 * so that old views read zeros and write to no one instead of crashing the process, and they are unmapped once
 * `buffer` is collected. If even that fails (ENOMEM), the mapping itself stays until then.
 */
export function unmapBuffer(buffer: ArrayBuffer | undefined, address: number, length: number): void {
  if (buffer === undefined || typeof buffer.transfer === "function") {
    buffer?.transfer(0);
    libc().munmap(address as NativePointer, length);
    return;
  }
  const flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
  libc().mmap(address as NativePointer, length, PROT_READ | PROT_WRITE, flags, -1, 0);
  placeholders.register(buffer, [address, length]);
}
