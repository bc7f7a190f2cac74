/**
 * The header at the start of every typed segment, read before any field is touched. As C (the header emitter
 * prints the same structs with `_Static_assert`s):
 *
 * ```c
 * typedef struct shmkit_field {  // one per field of the struct, in declaration order
 *   uint32_t name_hash;          //   0: FNV-1a of the field's name (UTF-8; "" for an unnamed bitfield)
 *   uint32_t offset;             //   4: byte offset in the struct
 *   uint32_t size;               //   8: bytes
 *   uint32_t type_hash;          //  12: hash of its kind, bit position, libc ABI and nested layout
 * } shmkit_field;                // 16 bytes, alignment 4
 *
 * typedef struct shmkit_segment_header {
 *   uint32_t magic;           //   0: SHMKIT_MAGIC, 0x4B4D4853 ("SHMK" in memory); written last
 *   uint16_t version;         //   4: SHMKIT_FORMAT_VERSION
 *   uint16_t data_offset;     //   6: where the struct starts, a multiple of its alignment (at least 16)
 *   _Atomic uint32_t ready;   //   8: ReadyWord: 0 uninitialised, 1 initialising, 2 ready (a futex word)
 *   uint32_t data_size;       //  12: sizeof the struct
 *   char fingerprint[64];     //  16: the layout fingerprint, NUL-terminated
 *   char struct_name[64];     //  80: the struct's name, NUL-terminated
 *   char target[32];          // 144: the creator's target ("i686-linux-gnu"), NUL-terminated
 *   uint32_t field_count;     // 176: entries in fields[]
 *   uint32_t reserved[3];     // 180: zero
 *   shmkit_field fields[];    // 192: the struct's fields, so that an opener can say which one differs
 * } shmkit_segment_header;    // 192 bytes and the field table, alignment 4
 * ```
 *
 * The fingerprint decides whether a segment is opened; the target and the field table only explain a refusal.
 */
export const HEADER = {
  /** `magic`: `SHMKIT_MAGIC`, written last. */
  magic: 0,
  /** `version`: `SHMKIT_FORMAT_VERSION` (uint16). */
  version: 4,
  /** `data_offset`: where the struct starts (uint16). */
  dataOffset: 6,
  /** `ready`: the ReadyWord. */
  ready: 8,
  /** `data_size`: sizeof the struct. */
  dataSize: 12,
  /** `fingerprint[64]`. */
  fingerprint: 16,
  /** `struct_name[64]`. */
  structName: 80,
  /** Bytes of `fingerprint` and of `struct_name`. */
  textBytes: 64,
  /** `target[32]`: the creator's target. */
  target: 144,
  /** Bytes of `target`. */
  targetBytes: 32,
  /** `field_count`. */
  fieldCount: 176,
  /** `fields[]`: the field table. */
  fields: 192,
  /** Bytes of one field table entry. */
  fieldBytes: 16,
  /** The fixed part, without the field table. */
  size: 192,
  /** The header's alignment. */
  align: 4,
} as const;

/** Byte offsets inside one `shmkit_field` entry of the header's field table. */
export const HEADER_FIELD = {
  /** `name_hash`: `fieldNameHash` of the name. */
  nameHash: 0,
  /** `offset`: byte offset in the struct. */
  offset: 4,
  /** `size`: bytes. */
  size: 8,
  /** `type_hash`: layout-gen's hash of the rest. */
  typeHash: 12,
} as const;

/** "SHMK" read as a little-endian uint32. */
export const SHMKIT_MAGIC = 0x4b4d4853;

/**
 * Bumped when the header's layout or meaning changes; open() refuses other versions (EVERSION). Version 2 added
 * the creator's target and the field table, and fingerprints that leave the target's name out.
 */
export const SHMKIT_FORMAT_VERSION = 2;

/** Where a struct of alignment `align` with `fieldCount` fields starts after the header and its field table. */
export function dataOffsetFor(align: number, fieldCount: number): number {
  const a = Math.max(align, 16);
  return Math.ceil((HEADER.size + fieldCount * HEADER.fieldBytes) / a) * a;
}

/**
 * FNV-1a (32-bit) of a field name's UTF-8 bytes: the `name_hash` of a header field entry. Not a security
 * measure: a collision can only make a refusal's explanation less precise, never let a segment open.
 */
export function fieldNameHash(name: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
