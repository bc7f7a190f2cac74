// Round trips of a 64-byte message over a Unix domain socket with node:net, for Node and Deno (Deno's own IPC
// baseline): the child echoes every 64 bytes it reads. --runtime is the JSON command that starts this runtime.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MESSAGE_BYTES = 64;
const argv = process.argv.slice(2);
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);

if (argv[0] === "child") {
  const socket = createConnection(argv[1]);
  socket.setNoDelay?.(true);
  socket.on("data", (chunk) => socket.write(chunk));
  socket.on("end", () => socket.end());
} else {
  const batches = Number(get("--batches", "10"));
  const per = Number(get("--per", "1000"));
  const cpuB = Number(get("--cpu-b", "-1"));
  const runtime = JSON.parse(get("--runtime", JSON.stringify([process.execPath])));
  const path = join(tmpdir(), `shmkit-bench-uds-${process.pid}.sock`);
  rmSync(path, { force: true });
  const connected = new Promise((resolve) => {
    const server = createServer((socket) => {
      server.close();
      resolve(socket);
    });
    server.listen(path);
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  const pin = cpuB >= 0 ? ["taskset", "-c", String(cpuB)] : [];
  const [exe, ...rest] = [...pin, ...runtime, fileURLToPath(import.meta.url), "child", path];
  const child = spawn(exe, rest, { stdio: ["ignore", "inherit", "inherit"] });
  try {
    const socket = await connected;
    socket.setNoDelay?.(true);
    let pending = 0;
    let wake;
    socket.on("data", (chunk) => {
      pending += chunk.length;
      if (pending >= MESSAGE_BYTES && wake) {
        pending -= MESSAGE_BYTES;
        const w = wake;
        wake = undefined;
        w();
      }
    });
    const message = Buffer.alloc(MESSAGE_BYTES, 0x5a);
    const exchange = () =>
      new Promise((resolve) => {
        wake = resolve;
        socket.write(message);
      });
    for (let k = 0; k < 2_000; k++) await exchange();
    const samples = [];
    for (let b = 0; b < batches; b++) {
      const start = process.hrtime.bigint();
      for (let k = 0; k < per; k++) await exchange();
      samples.push(Number(process.hrtime.bigint() - start) / per);
    }
    socket.end();
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
  } finally {
    child.kill();
    rmSync(path, { force: true });
  }
}
