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
