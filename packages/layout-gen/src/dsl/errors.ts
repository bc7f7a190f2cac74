/**
 * A schema that C cannot express, or that this target cannot hold, named by struct and field:
 * `Order.next: pointers cannot live in shared memory; …`. Thrown by `struct()`/`union()` at definition time, and by
 * `layoutOf()` for what depends on the target (lock-free atomics).
 */
export class SchemaError extends Error {
  /** Always `"SchemaError"`. */
  override readonly name = "SchemaError";
  /** The struct or union (or enum) the problem is in. */
  readonly struct: string;
  /** The field, or undefined for a problem with the struct as a whole. */
  readonly field: string | undefined;

  constructor(struct: string, field: string | undefined, problem: string) {
    super(`${field === undefined ? struct : `${struct}.${field}`}: ${problem}`);
    this.struct = struct;
    this.field = field;
  }
}
