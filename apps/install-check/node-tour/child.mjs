// The tour's child: maps the parent's anonymous segment from fd 3 and leaves a mark in it.
import { Segment } from "@shmkit/core";

using seg = Segment.fromFd(3);
Atomics.store(new Int32Array(seg.buffer, 0, 1), 0, 42);
