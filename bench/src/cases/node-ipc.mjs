// Round trips of a 64-byte message over Node's `child_process.fork` IPC, run by node (parent and child).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
if (argv[0] === "child") {
  process.on("message", (message) => process.send(message));
} else {
  const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
  const batches = Number(get("--batches", "10"));
  const per = Number(get("--per", "1000"));
  const cpuB = Number(get("--cpu-b", "-1"));
  const self = fileURLToPath(import.meta.url);
  // taskset execs node, so the IPC descriptor and NODE_CHANNEL_FD pass through to the child.
  const child =
    cpuB >= 0
      ? fork(self, ["child"], { execPath: "taskset", execArgv: ["-c", String(cpuB), process.execPath] })
      : fork(self, ["child"]);
  let answer;
  child.on("message", (message) => answer?.(message));
  const exchange = (message) =>
    new Promise((resolve) => {
      answer = resolve;
      child.send(message);
    });
  const payload = "x".repeat(56);
  const samples = [];
  let seq = 0;
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < per; k++) {
      const message = `${String(++seq).padStart(8, "0")}${payload}`;
      const reply = await exchange(message);
      if (reply !== message) throw new Error(`node-ipc: reply ${reply} to ${message}`);
    }
    samples.push(Number(process.hrtime.bigint() - start) / per);
  }
  child.kill();
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
}
