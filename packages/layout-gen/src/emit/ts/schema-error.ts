import { SchemaError } from "../../dsl/errors.ts";

/** A SchemaError for `label` (`Struct.field`, or a struct name alone) that the emitters cannot express. */
export function emitError(label: string, problem: string): SchemaError {
  const dot = label.indexOf(".");
  return dot < 0
    ? new SchemaError(label, undefined, problem)
    : new SchemaError(label.slice(0, dot), label.slice(dot + 1), problem);
}
