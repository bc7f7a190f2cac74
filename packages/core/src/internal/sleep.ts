const parked = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds, on any runtime (Bun, Node and Deno allow Atomics.wait on the JS thread). */
export function sleepSync(ms: number): void {
  Atomics.wait(parked, 0, 0, ms);
}
