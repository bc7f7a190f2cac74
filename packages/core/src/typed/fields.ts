import { fieldNameHash, HEADER, HEADER_FIELD } from "./header.ts";

/** One field as a typed segment's header records it; generated code lists a struct's fields in declaration order. */
export interface FieldDigest {
  /** The field's name; "" for an unnamed bitfield. */
  readonly name: string;
  /** Byte offset in the struct (for a bitfield, of the byte holding its first bit). */
  readonly offset: number;
  /** Bytes (for a bitfield, the bytes its bits touch). */
  readonly size: number;
  /** layout-gen's 32-bit hash of the field's kind, bit position, libc ABI and nested layout. */
  readonly typeHash: number;
}

/** An entry of the header's field table, as a creator wrote it. */
export interface FieldEntry {
  /** `fieldNameHash` of the field's name. */
  readonly nameHash: number;
  /** As in `FieldDigest`. */
  readonly offset: number;
  /** As in `FieldDigest`. */
  readonly size: number;
  /** As in `FieldDigest`. */
  readonly typeHash: number;
}

/** What a header says about the struct after it: enough to explain why a layout was refused. */
export interface HeaderLayout {
  /** The struct name the header records. */
  readonly struct: string;
  /** The creator's target. */
  readonly target: string;
  /** The struct's size the header records. */
  readonly size: number;
  /** undefined when the count does not fit between the header and the struct (a corrupt header). */
  readonly fields: readonly FieldEntry[] | undefined;
}

/** Writes `fields` as the header's field table, and its count, into `dv` (the segment's start). */
export function writeFieldTable(dv: DataView, fields: readonly FieldDigest[]): void {
  dv.setUint32(HEADER.fieldCount, fields.length, true);
  fields.forEach((f, i) => {
    const at = HEADER.fields + i * HEADER.fieldBytes;
    dv.setUint32(at + HEADER_FIELD.nameHash, fieldNameHash(f.name), true);
    dv.setUint32(at + HEADER_FIELD.offset, f.offset, true);
    dv.setUint32(at + HEADER_FIELD.size, f.size, true);
    dv.setUint32(at + HEADER_FIELD.typeHash, f.typeHash >>> 0, true);
  });
}

/**
 * Reads the field table of a header whose bytes start at 0 of `dv`. The table must end at or before the struct
 * (`dataOffset`) and inside `dv`; otherwise the header is corrupt and the result is undefined.
 */
export function readFieldTable(dv: DataView, dataOffset: number): FieldEntry[] | undefined {
  const count = dv.getUint32(HEADER.fieldCount, true);
  const end = HEADER.fields + count * HEADER.fieldBytes;
  if (end > dataOffset || end > dv.byteLength) return undefined;
  const out: FieldEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER.fields + i * HEADER.fieldBytes;
    out.push({
      nameHash: dv.getUint32(at + HEADER_FIELD.nameHash, true),
      offset: dv.getUint32(at + HEADER_FIELD.offset, true),
      size: dv.getUint32(at + HEADER_FIELD.size, true),
      typeHash: dv.getUint32(at + HEADER_FIELD.typeHash, true),
    });
  }
  return out;
}

/**
 * The first way the segment's layout differs from this code's, as a sentence: another struct, a field at another
 * offset, of another size or type, a field one side lacks, or else the struct's size. `here` is this code's struct.
 */
export function firstDifference(
  here: {
    readonly name: string;
    readonly target: string;
    readonly size: number;
    readonly fields: readonly FieldDigest[];
  },
  there: HeaderLayout,
): string {
  const ours = here.target;
  const theirs = there.target === here.target ? `the segment's ${there.target}` : there.target;
  if (here.name !== there.struct) return `it is another struct (${there.struct}, not ${here.name})`;
  if (there.fields === undefined) return "the segment's field table is corrupt, so no field can be compared";
  const count = Math.max(here.fields.length, there.fields.length);
  for (let i = 0; i < count; i++) {
    const a = here.fields[i];
    const b = there.fields[i];
    if (a === undefined) {
      return `the segment's ${there.struct} has ${there.fields.length} fields, ${here.name} has ${here.fields.length}`;
    }
    const label = a.name === "" ? `unnamed bitfield #${i + 1}` : `field ${a.name}`;
    if (b === undefined)
      return `${label} is not in the segment's ${there.struct} (it has ${there.fields.length} fields)`;
    if (fieldNameHash(a.name) !== b.nameHash) {
      return `field #${i + 1} is ${a.name === "" ? "an unnamed bitfield" : a.name} here and another field in the segment: the schemas differ`;
    }
    if (a.offset !== b.offset)
      return `${label} is at offset ${a.offset} on ${ours} and ${b.offset} on ${theirs}`;
    if (a.size !== b.size) return `${label} is ${a.size} bytes on ${ours} and ${b.size} on ${theirs}`;
    if (a.typeHash >>> 0 !== b.typeHash) {
      return `${label} has another type on ${ours} than on ${theirs} (scalar kind, bit position, libc ABI or nested layout)`;
    }
  }
  if (here.size !== there.size)
    return `the struct is ${here.size} bytes on ${ours} and ${there.size} on ${theirs}`;
  if (here.name !== there.struct) return `the struct is ${here.name} here and ${there.struct} in the segment`;
  return "every field agrees, so the schemas differ in something else (a union's kind, an enum's members)";
}
