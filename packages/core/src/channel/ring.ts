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
}
