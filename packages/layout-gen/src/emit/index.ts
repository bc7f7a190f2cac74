/**
 * `@shmkit/layout-gen/emit`: layouts to TypeScript accessors (`emitTypeScript`, built with ts-morph) and C headers
 * (`emitCHeader`); `generate` does both for a schema module's exports.
 *
 * @packageDocumentation
 */
export { type EmitCHeaderOptions, emitCHeader, enumConstant } from "./c/c-header.ts";
export { type Generated, type GenerateOptions, generate } from "./generate.ts";
export { type EmitTypeScriptOptions, emitTypeScript } from "./ts/emit-typescript.ts";
