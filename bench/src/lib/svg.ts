import { formatBytes } from "../cases.ts";
import { formatNs, type Row } from "./report.ts";

const WIDTH = 960;
const LABEL_W = 330;
const BAR_W = 520;
const ROW_H = 18;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function colour(row: Row): string {
  // By label too: the rows of other runtimes are named after the runtime first ("node-…"), shmkit in the label.
  if (row.id.includes("shmkit") || row.label.includes("shmkit")) return "#2f7ed8";
  if (row.id.includes("-c-")) return "#8a8a8a";
  return "#e07b39";
}

const TITLES = {
  roundtrip: "Round trip, 64-byte message — median, log scale (shorter is faster)",
  stream: "One-way streaming, 64-byte messages — ns per message, log scale",
  bulk: "Bulk copy into shared memory — ns per message, log scale",
  micro: "Micro-benchmarks, each case in a process of its own — ns per operation, log scale",
} as const;

/** A hand-made horizontal bar chart of every row's median, one log-scaled panel per group. */
export function renderSvg(rows: Row[], host: Record<string, unknown>, date: string): string {
  const parts: string[] = [];
  let y = 40;
  for (const group of Object.keys(TITLES) as (keyof typeof TITLES)[]) {
    const mine = rows.filter((r) => r.group === group && Number.isFinite(r.median) && r.median > 0);
    if (mine.length === 0) continue;
    const lo = Math.log10(Math.min(...mine.map((r) => r.median)) / 2);
    const hi = Math.log10(Math.max(...mine.map((r) => r.median)) * 1.5);
    const x = (v: number): number => ((Math.log10(v) - lo) / (hi - lo || 1)) * BAR_W;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(TITLES[group])}</text>`);
    y += 10;
    for (const r of mine) {
      const size = r.bytes && group === "bulk" ? "" : r.bytes ? ` ${formatBytes(r.bytes)}` : "";
      const label = `${r.label}${size}${r.pinned && group === "roundtrip" ? " (pinned)" : ""}`;
      const w = Math.max(1, x(r.median));
      parts.push(
        `<text x="${LABEL_W - 6}" y="${y + 13}" text-anchor="end">${escapeXml(label)}</text>`,
        `<rect x="${LABEL_W}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW_H - 4}" fill="${colour(r)}"/>`,
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + 13}">${formatNs(r.median)}</text>`,
      );
      y += ROW_H;
    }
    y += 24;
  }
  const note = `bun ${host.bun}, ${host.cpus} × ${host.cpu}, load ${host.loadavg}, ${date}. Blue: shmkit; grey: C; orange: other transports.`;
  parts.push(`<text x="10" y="${y}" fill="#555">${escapeXml(note)}</text>`);
  const height = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">shmkit bench — ${escapeXml(date)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
