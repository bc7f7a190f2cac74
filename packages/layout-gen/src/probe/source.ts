import { ShmArgumentError } from "@shmkit/core";
import type { ProbeField, ProbeQuery } from "./types.ts";

const PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$/;
const TYPE = /^(?:(?:struct|union)\s+)?[A-Za-z_]\w*$/;

/** Marks the start of the numbers array, so a probe never reads the wrong bytes as sizes. */
export const MAGIC = 0x53484d4b50524f42n; // "SHMKPROB"

export const NUMBERS_SYMBOL = "shmkit_probe_numbers";
export const bitsSymbol = (q: number, f: number): string => `shmkit_probe_bits_${q}_${f}`;

export function normaliseField(field: string | ProbeField): ProbeField {
  return typeof field === "string" ? { path: field } : field;
}

/**
 * Appends the measuring declarations to `source`: one array of `unsigned long long` with every size, alignment,
 * offset and member size, and per bitfield a constant union whose struct has that bitfield set to all ones, so
 * its bytes show where the bits are.
 */
export function probeSource(
  source: string,
  queries: readonly ProbeQuery[],
): {
  /** The C source to compile. */
  text: string;
  /** How many numbers the array holds, the magic included. */
  count: number;
} {
  const numbers: string[] = [`${MAGIC}ULL`];
  const unions: string[] = [];
  queries.forEach((query, q) => {
    if (!TYPE.test(query.type.trim())) {
      throw new ShmArgumentError("type", "must be `struct Name`, `union Name` or a typedef name", query.type);
    }
    const type = query.type.trim().replace(/\s+/, " ");
    numbers.push(`sizeof(${type})`, `_Alignof(${type})`);
    (query.fields ?? []).map(normaliseField).forEach((field, f) => {
      if (!PATH.test(field.path)) {
        throw new ShmArgumentError("path", "must be a member path like `a`, `a.b` or `a[2].b`", field.path);
      }
      if (field.bitfield) {
        numbers.push("0", "0");
        unions.push(
          `const union { ${type} v; unsigned char b[sizeof(${type})]; } ${bitsSymbol(q, f)} = { .v = { .${field.path} = -1 } };`,
        );
      } else if (field.flexible) {
        numbers.push(`offsetof(${type}, ${field.path})`, "0");
      } else {
        numbers.push(`offsetof(${type}, ${field.path})`, `sizeof(((${type} *)0)->${field.path})`);
      }
    });
  });
  const text = [
    "#include <stddef.h>",
    '#line 1 "probe-input.h"',
    source,
    "",
    "/* shmkit probe */",
    `const unsigned long long ${NUMBERS_SYMBOL}[] = {\n  ${numbers.join(",\n  ")}\n};`,
    ...unions,
    "",
  ].join("\n");
  return { text, count: numbers.length };
}
