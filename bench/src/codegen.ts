// Regenerates src/quote.generated.ts from src/quote.schema.ts with layout-gen (turbo runs it as `codegen`).
import { writeFileSync } from "node:fs";
import { layoutOf } from "@shmkit/layout-gen";
import { emitTypeScript } from "@shmkit/layout-gen/emit";
import { Quote } from "./quote.schema.ts";

const text = emitTypeScript([layoutOf(Quote)], {
  schemaPath: "bench/src/quote.schema.ts",
  command: "bun run --filter bench codegen",
});
writeFileSync(`${import.meta.dir}/quote.generated.ts`, text);
