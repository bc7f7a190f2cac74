// The other processes of the sync checks. Usage:
//   bun child.ts hold <name>           lock, mark dirty, work a random while, unlock; forever, until SIGKILLed
//   bun child.ts add-mutex <name> <K>  after the go word, K plain increments, each under the mutex
//   bun child.ts add-atomic <name> <K> after the go word, K Atomics.add increments
//   bun child.ts add-plain <name> <K>  after the go word, K plain increments with no mutex (the control)
import { Mutex, Segment } from "@shmkit/core";
import { MUTEX_OFFSET, W, WORDS_OFFSET } from "./layout.ts";

const [command, name = "", count = "0"] = process.argv.slice(2);
using seg = Segment.open(name);
const words = new Int32Array(seg.buffer, WORDS_OFFSET, 64);

function waitForGo(): void {
  Atomics.add(words, W.ready, 1);
  const deadline = performance.now() + 60_000;
  while (Atomics.load(words, W.go) === 0) {
    if (performance.now() > deadline) throw new Error("no go signal within 60 s");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
}

switch (command) {
  case "hold": {
    const mutex = Mutex.at(seg, MUTEX_OFFSET);
    for (;;) {
      if (mutex.lock({ timeoutMs: 30_000 }) === "owner-died") {
        Atomics.store(words, W.dirty, 0);
        mutex.markConsistent();
      }
      Atomics.store(words, W.dirty, 1);
      Atomics.add(words, W.alive, 1);
      // Hold for a random while, so that the kill lands at random points, mostly while holding.
      const until = performance.now() + Math.random() * 2;
      while (performance.now() < until) words[W.plain] = (words[W.plain] ?? 0) + 1;
      Atomics.store(words, W.dirty, 0);
      mutex.unlock();
    }
  }
  case "add-mutex": {
    const mutex = Mutex.at(seg, MUTEX_OFFSET);
    waitForGo();
    for (let i = Number(count); i > 0; i--) {
      mutex.lock({ timeoutMs: 60_000 });
      // Deliberately not atomic: only the mutex keeps two processes from losing an increment.
      words[W.plain] = (words[W.plain] ?? 0) + 1;
      mutex.unlock();
    }
    Atomics.add(words, W.done, 1);
    break;
  }
  case "add-plain": {
    // The control: the same plain increments with no mutex, to show the race the mutex prevents is real.
    waitForGo();
    for (let i = Number(count); i > 0; i--) words[W.plain] = (words[W.plain] ?? 0) + 1;
    Atomics.add(words, W.done, 1);
    break;
  }
  case "add-atomic": {
    waitForGo();
    for (let i = Number(count); i > 0; i--) Atomics.add(words, W.atomic, 1);
    Atomics.add(words, W.done, 1);
    break;
  }
  default:
    throw new Error(`unknown command ${command}`);
}
