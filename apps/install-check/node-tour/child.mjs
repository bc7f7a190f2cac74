// The tour's child: maps the parent's anonymous segment from fd 3 and leaves a mark in it. No `using`: both tours
// (Node 26, and Node 20, which lacks it) run this child.
import { Segment } from "@shmkit/core";

const seg = Segment.fromFd(3);
try {
  Atomics.store(new Int32Array(seg.buffer, 0, 1), 0, 42);
} finally {
  seg.close();
}
