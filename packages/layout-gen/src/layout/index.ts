export { type LayoutOptions, layoutOf } from "./engine.ts";
export { canonicalLayout, fieldDigests, fingerprintOf } from "./fingerprint.ts";
export type * from "./ir.ts";
