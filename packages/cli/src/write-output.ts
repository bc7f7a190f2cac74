import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { println } from "./output.ts";

/** A path as banners and messages show it: relative to the working directory, with forward slashes. */
export function shownPath(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute) || ".";
  // Outside the working directory, `/tmp/x` reads better than `../../../../tmp/x`.
  if (rel.startsWith(`..${sep}..${sep}`)) return absolute.split(sep).join("/");
  return rel.split(sep).join("/");
}

/**
 * Writes generated text to `path` only if it changed (so an unchanged file keeps its mtime), or with `check`
 * compares instead and returns false when the file is missing or differs.
 */
export function writeOutput(path: string, text: string, check: boolean): boolean {
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (check) {
    if (current === text) {
      println(`up to date: ${shownPath(path)}`);
      return true;
    }
    println(`${current === undefined ? "missing" : "out of date"}: ${shownPath(path)}`);
    return false;
  }
  if (current === text) {
    println(`unchanged: ${shownPath(path)}`);
  } else {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text);
    println(`wrote ${shownPath(path)}`);
  }
  return true;
}
