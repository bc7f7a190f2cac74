#!/usr/bin/env sh
//bin/sh -c :; r=$(command -v node || command -v bun) || { echo "shmkit: needs node or bun on PATH" >&2; exit 127; }; exec "$r" "$0" "$@"
// The two lines above are both shell and JavaScript. Run as a program, sh reads them and starts this file again
// with Node, or with Bun where there is no node (a Bun-only machine); `bunx --bun` and `bun --bun run` put Bun
// first on PATH as `node`, so they choose Bun. A runtime handed the file (`node bin.js`, `bun bin.js`,
// `deno run -A bin.js`) skips the first line and reads the second as a comment. README.md, "Running on Node and
// Deno", says which runtime runs which command.
import { run } from "./index.ts";

process.exitCode = await run(process.argv);
