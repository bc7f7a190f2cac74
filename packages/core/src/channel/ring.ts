import { ShmError } from "../errors.ts";
import type { WaitWord } from "../sync/wait-word.ts";

/** What a sender and a receiver share about one mapped channel: its memory and its shape. */
export interface Ring {
  readonly name: string;
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly mask: number;
  readonly capacity: number;
  readonly stride: number;
  readonly maxMessage: number;
  readonly mpsc: boolean;
  /** Futex word consumers sleep on (DATA_EPOCH). */
  readonly dataWord: WaitWord;
  /** Futex word producers sleep on (SPACE_EPOCH). */
  readonly spaceWord: WaitWord;
}

/**
 * Throws ECLOSED once the channel's segment was closed in this process. `close()` detaches the views (length 0),
 * so the check is one length read; without it a closed ring fails with a TypeError from deep inside, or, in SPSC
 * (whose reserve reads no shared memory), hands out a slot that can never be committed.
 */
export function assertOpen(ring: Ring, call: string): void {
  if (ring.words.length === 0) {
    throw ShmError.of("ECLOSED", call, ring.name, "the channel was closed in this process; open it again");
  }
}
