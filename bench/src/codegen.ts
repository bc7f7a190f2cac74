// Regenerates src/quote.<target>.generated.ts from src/quote.schema.ts with layout-gen (turbo runs it as `codegen`).
// One file per host the bench runs on, each for a fixed target, so that what is committed does not depend on the
// machine that ran this (CI checks `git diff --exit-code`); micro.ts loads the host's.
import { writeFileSync } from "node:fs";
import { layoutOf } from "@shmkit/layout-gen";
import { emitTypeScript } from "@shmkit/layout-gen/emit";
import { Quote } from "./quote.schema.ts";

for (const target of ["x86_64-linux-gnu", "aarch64-linux-gnu"] as const) {
  const text = emitTypeScript([layoutOf(Quote, { target })], {
    schemaPath: "bench/src/quote.schema.ts",
    command: "bun run --filter bench codegen",
  });
  writeFileSync(`${import.meta.dir}/quote.${target}.generated.ts`, text);
}
