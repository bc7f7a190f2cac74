import { describe, expect, test } from "bun:test";
import { Mutex, Segment } from "../../src/index.ts";
import { hostTarget } from "../../src/targets/index.ts";
import { ROBUST_IF_SUPPORTED } from "../helpers.ts";

describe("Mutex.at kind checks", () => {
  // The kind word sits where glibc keeps it; musl hosts have their own bits (tested by the kind-word checks).
  test.skipIf(process.platform !== "linux" || hostTarget().libc !== "gnu")(
    "refuses a kind word that claims priority inheritance, priority protection or lock elision",
    () => {
      using seg = Segment.anonymous({ size: 4096 });
      Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const view = new DataView(seg.buffer);
      const kindOffset = 16; // glibc struct __pthread_mutex_s.__kind
      const kind = view.getInt32(kindOffset, true);
      for (const protocol of [32, 64, 256]) {
        view.setInt32(kindOffset, kind | protocol, true);
        expect(() => Mutex.at(seg, 0)).toThrow(
          "a priority-inheritance, priority-protect or lock-elision mutex",
        );
      }
      view.setInt32(kindOffset, kind, true);
      const m = Mutex.at(seg, 0);
      expect(m.tryLock()).toBe("acquired");
      m.unlock(); // before `using` closes the segment: a held mutex is never unmapped
      expect(seg.closed).toBe(false);
    },
  );
});
