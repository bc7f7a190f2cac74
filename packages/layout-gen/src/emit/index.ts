export { type EmitCHeaderOptions, emitCHeader, enumConstant } from "./c/c-header.ts";
export { type Generated, type GenerateOptions, generate } from "./generate.ts";
export { type EmitTypeScriptOptions, emitTypeScript } from "./ts/emit-typescript.ts";
