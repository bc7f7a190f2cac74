export { type EmitCHeaderOptions, emitCHeader, enumConstant } from "./c/c-header.ts";
export { type EmitTypeScriptOptions, emitTypeScript } from "./ts/emit-typescript.ts";
