// Seed 000's SharedMemory struct grown into a bounded queue: one process-shared mutex guards everything below it,
// and two condition variables say why a process waits (nothing to take / no room to put).
// `bun run codegen` turns this into queue.generated.ts.
import { struct, t } from "@shmkit/layout-gen";

export const Queue = struct("Queue", {
  mutex: t.pthread_mutex,
  not_empty: t.pthread_cond, // signalled after a put: a consumer may go on
  not_full: t.pthread_cond, // signalled after a take: the producer may go on
  head: t.u32, // next slot to take from
  count: t.u32, // items in the ring
  closed: t.u32, // 1 once the producer has put its last item
  items: t.array(t.u32, 16), // the ring; its length is the capacity
});
