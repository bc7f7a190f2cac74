// The example's proof: what the consumers report, put together, is exactly 1..M, each item once.

/** Problems with the union of `reports` as a partition of 1..total: duplicates, missing and foreign items. */
export function exactlyOnce(reports: readonly (readonly number[])[], total: number): string[] {
  const seen = new Uint8Array(total + 1);
  const problems: string[] = [];
  for (const items of reports) {
    for (const item of items) {
      if (!Number.isInteger(item) || item < 1 || item > total)
        problems.push(`item ${item} was never produced`);
      else if (seen[item] === 1) problems.push(`item ${item} was consumed twice`);
      else seen[item] = 1;
    }
  }
  const missing = [];
  for (let item = 1; item <= total; item++) if (!seen[item]) missing.push(item);
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ");
    problems.push(`${missing.length} items never consumed: ${shown}${missing.length > 10 ? ", …" : ""}`);
  }
  return problems;
}
