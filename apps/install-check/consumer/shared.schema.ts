import { struct, t } from "@shmkit/layout-gen";

/** A counter two processes increment under its mutex. */
export const Tally = struct("Tally", {
  lock: t.pthread_mutex,
  count: t.u32,
  label: t.char(16),
});
