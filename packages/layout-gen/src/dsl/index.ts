export { SchemaError } from "./errors.ts";
export { struct, union } from "./struct.ts";
export { t } from "./t.ts";
export type * from "./types.ts";
