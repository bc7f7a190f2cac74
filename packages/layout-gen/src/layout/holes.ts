import type { FieldLayout, Hole } from "./ir.ts";

/**
 * Padding: byte ranges of a struct that no field touches (a byte holding any bit of a bitfield, named or unnamed,
 * counts as touched), split into holes between fields and tail padding after the last one.
 */
export function holesOf(
  fields: readonly FieldLayout[],
  size: number,
  isUnion: boolean,
): { holes: Hole[]; tailPadding: number } {
  const holes: Hole[] = [];
  let end = 0;
  for (const field of fields) {
    // A zero-width bitfield only moves the next member (the hole is named after that one); a flexible array
    // member, though it adds no size, is a member whose alignment made the hole.
    if (!isUnion && field.offset > end && (field.size > 0 || field.type.kind === "flexible")) {
      holes.push({ offset: end, size: field.offset - end, before: field.name });
    }
    end = Math.max(end, field.offset + field.size);
  }
  return { holes, tailPadding: size - end };
}
