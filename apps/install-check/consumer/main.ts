// `main.ts NAME`: runs the parent, which starts this same program as the child (`main.ts --child NAME`); prints
// "<child exit code> <count> <label> <messages>". Works from source, bundled with --target bun, and compiled.
import { child, parent } from "./lib.js";

const [first = "", second = ""] = process.argv.slice(2);
if (first === "--child") {
  await child(second);
} else {
  // A compiled program is its own executable; otherwise run the same entry file with the same Bun.
  const self = Bun.main.startsWith("/$bunfs/") ? [process.execPath] : [process.execPath, Bun.main];
  const out = await parent(first, async () => {
    const proc = Bun.spawn([...self, "--child", first], {
      stdout: "inherit",
      stderr: "inherit",
      timeout: 60_000,
    });
    return proc.exited;
  });
  console.log(out);
}
