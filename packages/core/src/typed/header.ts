/**
 * The header at the start of every typed segment, read before any field is touched. As C (the header emitter
 * prints the same struct with `_Static_assert`s):
 *
 * ```c
 * typedef struct shmkit_segment_header {
 *   uint32_t magic;           //   0: SHMKIT_MAGIC, 0x4B4D4853 ("SHMK" in memory); written last
 *   uint16_t version;         //   4: SHMKIT_FORMAT_VERSION
 *   uint16_t data_offset;     //   6: where the struct starts, a multiple of its alignment (at least 16)
 *   _Atomic uint32_t ready;   //   8: ReadyWord: 0 uninitialised, 1 initialising, 2 ready (a futex word)
 *   uint32_t data_size;       //  12: sizeof the struct
 *   char fingerprint[64];     //  16: the layout fingerprint, NUL-terminated
 *   char struct_name[64];     //  80: the struct's name, NUL-terminated
 * } shmkit_segment_header;    // 144 bytes, alignment 4
 * ```
 */
export const HEADER = {
  magic: 0,
  version: 4,
  dataOffset: 6,
  ready: 8,
  dataSize: 12,
  fingerprint: 16,
  structName: 80,
  textBytes: 64,
  size: 144,
  align: 4,
} as const;

/** "SHMK" read as a little-endian uint32. */
export const SHMKIT_MAGIC = 0x4b4d4853;

/** Bumped when the header's layout or meaning changes; open() refuses other versions (EVERSION). */
export const SHMKIT_FORMAT_VERSION = 1;

/** Where a struct of alignment `align` starts after the header. */
export function dataOffsetFor(align: number): number {
  const a = Math.max(align, 16);
  return Math.ceil(HEADER.size / a) * a;
}
