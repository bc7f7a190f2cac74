import { readFileSync } from "node:fs";

let names: Map<number, string> | undefined;

/** The user name for `uid` from /etc/passwd, or the number itself when it has none (as `ls -l` does). */
export function userName(uid: number): string {
  if (!names) {
    names = new Map();
    try {
      for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
        const [name, , id] = line.split(":");
        if (name && id && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
      }
    } catch {
      // No readable passwd file (a minimal container): numbers it is.
    }
  }
  return names.get(uid) ?? String(uid);
}
