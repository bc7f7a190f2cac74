// The README's short tour, as a Node user runs it after `npm install @shmkit/core`: plain JavaScript, Node 26.
// `node tour.mjs NAME` prints what each step saw, one line each.
import { spawn } from "node:child_process";
import { Segment, ShmError } from "@shmkit/core";

const name = process.argv[2];
{
  using seg = Segment.create(name, { size: 4096 });
  seg.bytes.set(new TextEncoder().encode("hello"));
  Atomics.add(new Int32Array(seg.buffer, 64, 1), 0, 1);

  using r = Segment.open(name.slice(1), { readonly: true, trustOwner: true });
  console.log(
    "read",
    new TextDecoder().decode(r.bytes.subarray(0, 5)),
    Atomics.load(new Int32Array(r.buffer, 64, 1), 0),
  );

  try {
    Segment.create(name, { size: 4096 });
  } catch (e) {
    console.log("again", e instanceof ShmError, e.code, e.errno, e.message);
  }
  const listed = Segment.list().find((s) => s.name === name);
  console.log("listed", listed?.size, listed?.mode.toString(8));
  Segment.unlink(name);
  console.log("exists", Segment.exists(name));
}

// A parent and its child, with nothing in /dev/shm: the fd goes over as fd 3.
using anon = Segment.anonymous({ size: 1 << 20 });
const child = spawn(
  process.execPath,
  [...process.execArgv, new URL("./child.mjs", import.meta.url).pathname],
  {
    stdio: ["inherit", "inherit", "inherit", anon.fd],
  },
);
const code = await new Promise((resolve) => child.on("exit", resolve));
console.log("child", code, Atomics.load(new Int32Array(anon.buffer, 0, 1), 0));
