import { ShmArgumentError } from "@shmkit/core";
import { findTarget, hostTarget, TARGET_NAMES, type Target, type TargetName } from "@shmkit/core/targets";
import { SchemaError } from "../dsl/errors.ts";
import type { BitsSpec, RecordDef } from "../dsl/types.ts";
import { fingerprintOf } from "./fingerprint.ts";
import { holesOf } from "./holes.ts";
import type { FieldLayout, FieldType, StructLayout } from "./ir.ts";
import { enumType, type Resolved, resolve, scalarOf } from "./resolve.ts";

/** Options of `layoutOf()`. */
export interface LayoutOptions {
  /** The C target to lay out for; the host by default. */
  readonly target?: TargetName;
}

const cache = new WeakMap<RecordDef, Map<TargetName, StructLayout>>();

/**
 * Lays out a struct or union the way the target's C compiler does (gcc and clang agree on all of these targets):
 * natural alignment, `packed`, `aligned` on struct and field, bitfields in storage units of their type, zero-width
 * and unnamed bitfields per the ABI, flexible array members, tail padding.
 *
 * @example
 * ```ts
 * const Point = struct("Point", { tag: t.u8, x: t.f64 });
 * layoutOf(Point, { target: "x86_64-linux-gnu" }).fields[1].offset; // 8
 * layoutOf(Point, { target: "i686-linux-gnu" }).fields[1].offset;   // 4: double is 4-aligned in i386 structs
 * ```
 */
export function layoutOf(def: RecordDef, options: LayoutOptions = {}): StructLayout {
  if (typeof def !== "object" || def === null || (def.kind !== "struct" && def.kind !== "union")) {
    throw new ShmArgumentError("def", "must be a definition made by struct() or union()", def);
  }
  const target = options.target === undefined ? hostTarget() : findTarget(options.target);
  if (!target) {
    // An argument error like the one for `def`, not the table's untyped RangeError.
    throw new ShmArgumentError("target", `must be one of ${TARGET_NAMES.join(", ")}`, options.target);
  }
  return layoutFor(def, target);
}

function layoutFor(def: RecordDef, target: Target): StructLayout {
  let perTarget = cache.get(def);
  if (!perTarget) {
    perTarget = new Map();
    cache.set(def, perTarget);
  }
  const known = perTarget.get(target.name);
  if (known) return known;
  const layout = compute(def, target);
  perTarget.set(target.name, layout);
  return layout;
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** True when a type holds something that must stay naturally aligned to work (atomics, pthread objects). */
function needsAlignment(type: FieldType): boolean {
  switch (type.kind) {
    case "atomic":
    case "libc":
      return true;
    case "array":
    case "flexible":
      return needsAlignment(type.element);
    case "record":
      return type.layout.fields.some((f) => needsAlignment(f.type));
    default:
      return false;
  }
}

function compute(def: RecordDef, target: Target): StructLayout {
  const isUnion = def.kind === "union";
  const fields: FieldLayout[] = [];
  let bitPos = 0; // next free bit (structs)
  let maxBits = 0; // largest member (unions)
  let recordAlign = 1;
  let explicit = def.align !== undefined;

  for (const field of def.fields) {
    const ctx = {
      target,
      struct: def.name,
      field: field.name,
      layoutRecord: (d: RecordDef) => layoutFor(d, target),
    };
    if (field.type.kind === "bits") {
      const placed = placeBitfield(
        field.type,
        def.name,
        field.name,
        isUnion ? 0 : bitPos,
        def.packed,
        target,
      );
      if (placed.contributesAlign) recordAlign = Math.max(recordAlign, placed.align);
      fields.push(placed.layout);
      const end = placed.bit + field.type.width;
      if (isUnion) maxBits = Math.max(maxBits, end);
      else bitPos = Math.max(placed.bit, end);
      continue;
    }
    const r: Resolved = resolve(field.type, ctx);
    if (field.type.kind === "aligned" && field.type.align >= resolve(field.type.element, ctx).typeAlign) {
      explicit = true;
    }
    if (fieldUserAligned(r.type)) explicit = true;
    if (def.packed && needsAlignment(r.type)) {
      throw new SchemaError(
        def.name,
        field.name,
        "atomics and pthread objects must stay naturally aligned, so they cannot be in a packed struct",
      );
    }
    // gcc: `packed` drops a member's alignment to 1 but keeps an explicit aligned(N); aligned(N) only raises.
    const align = def.packed ? (r.userAlign ?? 1) : r.align;
    recordAlign = Math.max(recordAlign, align);
    const offset = isUnion ? 0 : roundUp(bitPos, align * 8) / 8;
    fields.push({
      name: field.name,
      offset,
      size: r.size,
      align,
      type: r.type,
      ...(field.type.kind === "aligned" ? { alignAttribute: field.type.align } : {}),
    });
    if (isUnion) maxBits = Math.max(maxBits, r.size * 8);
    else bitPos = (offset + r.size) * 8;
  }

  const align = Math.max(recordAlign, def.align ?? 1);
  const used = Math.ceil((isUnion ? maxBits : bitPos) / 8);
  const size = roundUp(used, align);
  if (target.arch === "i686" && size === 8 && align === 8 && !explicit) {
    // Only an 8-byte _Atomic gets here. gcc gives an 8-byte record an integer machine mode and then i386's
    // 4-byte cap for 8-byte integers (x86_field_alignment), so the struct is 4-aligned (and so its atomic can be
    // misaligned) in gcc but 8-aligned in clang. Refuse rather than pick one; the attribute makes both agree.
    throw new SchemaError(
      def.name,
      undefined,
      "on i686, gcc aligns an 8-byte struct or union holding an 8-byte _Atomic to 4 (clang to 8), which can " +
        "misalign the atomic; give the struct { align: 8 } or make it larger",
    );
  }
  const { holes, tailPadding } = holesOf(fields, size, isUnion);
  const body = {
    name: def.name,
    kind: def.kind,
    target: target.name,
    size,
    align,
    packed: def.packed,
    alignAttribute: def.align,
    fields,
    holes,
    tailPadding,
  };
  const layout: StructLayout = Object.freeze({ ...body, fingerprint: fingerprintOf(body) });
  if (explicit) userAligned.add(layout);
  return layout;
}

/**
 * Records where an `aligned` attribute took effect (gcc's TYPE_USER_ALIGN, which nesting keeps): on the struct
 * (any value), or on a field with at least the type's own alignment (gcc drops a smaller one on a field).
 */
const userAligned = new WeakSet<StructLayout>();

function fieldUserAligned(type: FieldType): boolean {
  switch (type.kind) {
    case "record":
      return userAligned.has(type.layout);
    case "array":
    case "flexible":
      return fieldUserAligned(type.element);
    default:
      return false;
  }
}

interface PlacedBitfield {
  readonly layout: FieldLayout;
  /** Bit position of the field's first bit from the start of the struct. */
  readonly bit: number;
  readonly align: number;
  readonly contributesAlign: boolean;
}

/**
 * gcc's PCC_BITFIELD_TYPE_MATTERS rules (stor-layout.c place_field / update_alignment_for_field), which clang
 * follows on these targets:
 * - a bitfield may not span more units of its type's alignment than the type itself has (`excess_unit_span`),
 *   else it moves to the next boundary; in a packed struct it goes at the next free bit;
 * - a zero-width bitfield moves the next field to the boundary of its type's (member) alignment, packed or not;
 * - named bitfields raise the struct's alignment to their type's member alignment (1 if packed); unnamed ones
 *   only where the ABI says so (AAPCS64).
 */
function placeBitfield(
  spec: BitsSpec,
  struct: string,
  name: string,
  bitPos: number,
  packed: boolean,
  target: Target,
): PlacedBitfield {
  const el = spec.element;
  const info =
    el.kind === "enum"
      ? { storage: enumType(el).scalar, size: target.enums.size, align: target.enums.align }
      : scalarOf(el, target);
  const type: FieldType =
    el.kind === "enum" ? enumType(el) : { kind: "scalar", scalar: info.storage, cType: el.c };
  const width = spec.width;
  if (width > info.size * 8) {
    throw new SchemaError(
      struct,
      name,
      `bitfield width ${width} exceeds ${info.size * 8} bits of ${el.kind === "enum" ? `enum ${el.name}` : el.c} on ${target.name}`,
    );
  }
  let bit = bitPos;
  if (width === 0) {
    bit = roundUp(bitPos, info.align * 8);
  } else if (!packed) {
    // The unit is the member alignment (after i386's cut to 4 for long long), as gcc applies ADJUST_FIELD_ALIGN first.
    const unit = info.align * 8;
    const within = bit % unit;
    if (Math.ceil((within + width) / unit) > (info.size * 8) / unit) bit = roundUp(bit, unit);
  }
  const contributesAlign = !spec.unnamed || target.bitfields.unnamedAffectsAlign;
  const align = packed && width !== 0 ? 1 : info.align;
  const offset = Math.floor(bit / 8);
  const bitOffset = bit - offset * 8;
  const size = width === 0 ? 0 : Math.ceil((bitOffset + width) / 8);
  const layout: FieldLayout = {
    name: spec.unnamed ? undefined : name,
    offset,
    size,
    align: info.align,
    type,
    bitOffset,
    bitWidth: width,
  };
  return { layout, bit, align, contributesAlign };
}
