// Round trips of a 64-byte message over Bun's built-in IPC (`Bun.spawn` with `ipc`): the parent sends, the child
// echoes. Run as the parent; it starts itself with `child` as the child.
import { emit, MESSAGE_BYTES, parseCaseArgs, pinned } from "../lib/protocol.ts";

if (process.argv[2] === "child") {
  process.on("message", (message) => process.send?.(message));
} else {
  const args = parseCaseArgs();
  let answer: ((message: unknown) => void) | undefined;
  const child = Bun.spawn([...pinned(args.cpuB), process.execPath, import.meta.path, "child"], {
    ipc(message) {
      answer?.(message);
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exchange = (message: string): Promise<unknown> =>
    new Promise((resolve) => {
      answer = resolve;
      child.send(message);
    });
  const payload = "x".repeat(MESSAGE_BYTES - 8);
  const samples: number[] = [];
  let seq = 0;
  for (let b = 0; b < args.batches; b++) {
    const start = Bun.nanoseconds();
    for (let k = 0; k < args.per; k++) {
      const message = `${String(++seq).padStart(8, "0")}${payload}`;
      const reply = await exchange(message);
      if (reply !== message) throw new Error(`bun-ipc: reply ${String(reply)} to ${message}`);
    }
    samples.push((Bun.nanoseconds() - start) / args.per);
  }
  child.kill();
  await child.exited;
  emit(samples);
}
