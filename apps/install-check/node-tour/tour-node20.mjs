// tour.mjs as a Node 20 user writes it (`npm install @shmkit/core koffi`): Node 20 has no `using`, so each segment
// is closed in a `finally`. `node tour-node20.mjs NAME` prints the same lines as tour.mjs.
import { spawn } from "node:child_process";
import { Segment, ShmError } from "@shmkit/core";

const name = process.argv[2];
const seg = Segment.create(name, { size: 4096 });
try {
  seg.bytes.set(new TextEncoder().encode("hello"));
  Atomics.add(new Int32Array(seg.buffer, 64, 1), 0, 1);
  const r = Segment.open(name.slice(1), { readonly: true, trustOwner: true });
  try {
    console.log(
      "read",
      new TextDecoder().decode(r.bytes.subarray(0, 5)),
      Atomics.load(new Int32Array(r.buffer, 64, 1), 0),
    );
  } finally {
    r.close();
  }
  try {
    Segment.create(name, { size: 4096 });
  } catch (e) {
    console.log("again", e instanceof ShmError, e.code, e.errno, e.message);
  }
  const listed = Segment.list().find((s) => s.name === name);
  console.log("listed", listed?.size, listed?.mode.toString(8));
} finally {
  seg.close();
  Segment.unlink(name);
}
console.log("exists", Segment.exists(name));

// A parent and its child, with nothing in /dev/shm: the fd goes over as fd 3.
const anon = Segment.anonymous({ size: 1 << 20 });
try {
  const child = spawn(process.execPath, [new URL("./child.mjs", import.meta.url).pathname], {
    stdio: ["inherit", "inherit", "inherit", anon.fd],
  });
  const code = await new Promise((resolve) => child.on("exit", resolve));
  console.log("child", code, Atomics.load(new Int32Array(anon.buffer, 0, 1), 0));
} finally {
  anon.close();
}
