import { ShmError } from "../errors.ts";

/**
 * Claims a one-per-channel end (the consumer, or an SPSC producer) for this process by storing its pid in `index`.
 * A claim held by this process, or by a process that no longer exists (killed, crashed), is taken over: that is
 * how a restarted consumer attaches. A live other holder is an `EBUSY` ShmError naming it, because two consumers
 * (or two SPSC producers) at once would corrupt the ring.
 *
 * pids are compared within this pid namespace; processes in different namespaces cannot see each other's pids, so
 * keep both ends of a channel in one namespace (the default).
 */
export function claim(words: Int32Array, index: number, what: string, name: string): void {
  const me = process.pid;
  for (;;) {
    const holder = Atomics.load(words, index);
    if (holder === me) return;
    if (holder !== 0 && isAlive(holder)) {
      throw new ShmError({
        code: "EBUSY",
        errno: 16, // an errno name carries its errno (Linux EBUSY), as OS errors do
        syscall: `Channel.${what}`,
        segment: name,
        detail: `process ${holder} holds the channel's ${what}; a channel has one at a time (stop that process first)`,
      });
    }
    if (Atomics.compareExchange(words, index, holder, me) === holder) return;
  }
}

/** Gives the claim up if this process holds it. */
export function unclaim(words: Int32Array, index: number): void {
  Atomics.compareExchange(words, index, process.pid, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
