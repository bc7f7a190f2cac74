/**
 * The mutexes this thread holds, so that `Segment.close()` never unmaps one of them. glibc and musl link every
 * robust mutex a thread holds into that thread's robust list through the mutex's own bytes: unmapping a held one
 * leaves the list pointing into whatever is mapped there next, which the libc then writes into, and which the
 * kernel cannot walk when the thread dies (so the lock is never recovered). See docs/DESIGN.md.
 *
 * Per thread by construction: every Worker loads its own copy of this module, and a `Segment` (its mapping)
 * belongs to the thread that made it.
 */

/** One hold: the segment whose mapping contains the mutex, its offset, and how to give it up without unlocking. */
export interface HeldLock {
  readonly segment: object;
  readonly offset: number;
  /** Releases the hold as if this thread had died holding it; throws, changing nothing, if it cannot. */
  readonly abandon: () => void;
}

// In lock order; a recursive mutex taken twice is here twice. Unlocks are nearly always LIFO, so the search
// from the end stops at the first element.
const held: HeldLock[] = [];

export function noteLocked(lock: HeldLock): void {
  held.push(lock);
}

/** Forgets the latest hold of the mutex at `offset` in `segment`'s mapping. */
export function noteUnlocked(segment: object, offset: number): void {
  const last = held.length - 1;
  const top = held[last];
  if (top !== undefined && top.segment === segment && top.offset === offset) {
    held.pop();
    return;
  }
  for (let i = last - 1; i >= 0; i--) {
    const lock = held[i] as HeldLock;
    if (lock.segment === segment && lock.offset === offset) {
      held.splice(i, 1);
      return;
    }
  }
}

/** The holds inside `segment`'s mapping, latest first. */
export function locksHeldIn(segment: object): HeldLock[] {
  const found: HeldLock[] = [];
  for (let i = held.length - 1; i >= 0; i--) {
    const lock = held[i] as HeldLock;
    if (lock.segment === segment) found.push(lock);
  }
  return found;
}

/** True if this thread holds the mutex at `offset` in `segment`'s mapping. */
export function isHeld(segment: object, offset: number): boolean {
  for (let i = held.length - 1; i >= 0; i--) {
    const lock = held[i] as HeldLock;
    if (lock.segment === segment && lock.offset === offset) return true;
  }
  return false;
}
