// Round trips of a 64-byte message over a pair of named pipes (mkfifo), with blocking readSync/writeSync on both
// sides: the cost of the kernel pipe itself, without event-loop overhead (the best case for a pipe from Bun).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { emit, MESSAGE_BYTES, parseCaseArgs, pinned } from "../lib/protocol.ts";

function readFully(fd: number, buffer: Uint8Array): void {
  let got = 0;
  while (got < buffer.length) {
    const n = readSync(fd, buffer, got, buffer.length - got, null);
    if (n === 0) throw new Error("pipe closed");
    got += n;
  }
}

const buffer = new Uint8Array(MESSAGE_BYTES);
if (process.argv[2] === "child") {
  const dir = process.argv[3] ?? "";
  const input = openSync(`${dir}/request`, "r");
  const output = openSync(`${dir}/reply`, "w");
  for (;;) {
    try {
      readFully(input, buffer);
    } catch {
      break;
    }
    writeSync(output, buffer);
  }
} else {
  const args = parseCaseArgs();
  const dir = mkdtempSync("/tmp/shmkit-bench-pipe-");
  try {
    Bun.spawnSync(["mkfifo", `${dir}/request`, `${dir}/reply`]);
    const child = Bun.spawn([...pinned(args.cpuB), process.execPath, import.meta.path, "child", dir], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    const output = openSync(`${dir}/request`, "w");
    const input = openSync(`${dir}/reply`, "r");
    const samples: number[] = [];
    let seq = 0;
    for (let b = 0; b < args.batches; b++) {
      const start = Bun.nanoseconds();
      for (let k = 0; k < args.per; k++) {
        buffer[0] = ++seq & 0xff;
        writeSync(output, buffer);
        readFully(input, buffer);
        if (buffer[0] !== (seq & 0xff)) throw new Error(`pipe: reply out of order at ${seq}`);
      }
      samples.push((Bun.nanoseconds() - start) / args.per);
    }
    closeSync(output);
    closeSync(input);
    await child.exited;
    emit(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
