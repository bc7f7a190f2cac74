// Round trips of a 64-byte message over a Unix domain stream socket (Bun.listen / Bun.connect): the child echoes.
import { rmSync } from "node:fs";
import { emit, MESSAGE_BYTES, parseCaseArgs, pinned } from "../lib/protocol.ts";

if (process.argv[2] === "child") {
  const path = process.argv[3] ?? "";
  await Bun.connect({
    unix: path,
    socket: {
      data(socket, data) {
        socket.write(data);
      },
      close() {
        process.exit(0);
      },
    },
  });
} else {
  const args = parseCaseArgs();
  const path = `/tmp/shmkit-bench-${process.pid}.sock`;
  rmSync(path, { force: true });
  let pending = 0;
  let answer: (() => void) | undefined;
  let connected: (socket: import("bun").Socket) => void = () => {};
  const ready = new Promise<import("bun").Socket>((resolve) => {
    connected = resolve;
  });
  const server = Bun.listen({
    unix: path,
    socket: {
      open(socket) {
        connected(socket);
      },
      data(_socket, data) {
        // A stream socket may split or merge messages: count bytes, not reads.
        pending -= data.byteLength;
        if (pending <= 0) answer?.();
      },
    },
  });
  const child = Bun.spawn([...pinned(args.cpuB), process.execPath, import.meta.path, "child", path], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const socket = await ready;
  const message = new Uint8Array(MESSAGE_BYTES).fill(7);
  const exchange = (): Promise<void> =>
    new Promise((resolve) => {
      answer = resolve;
      pending = MESSAGE_BYTES;
      socket.write(message);
    });
  const samples: number[] = [];
  for (let b = 0; b < args.batches; b++) {
    const start = Bun.nanoseconds();
    for (let k = 0; k < args.per; k++) await exchange();
    samples.push((Bun.nanoseconds() - start) / args.per);
  }
  socket.end();
  server.stop(true);
  child.kill();
  await child.exited;
  rmSync(path, { force: true });
  emit(samples);
}
