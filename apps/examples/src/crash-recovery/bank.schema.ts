// Accounts whose total never changes, guarded by a robust mutex, with an undo journal: before a transfer touches
// a balance, the worker writes down both balances as they were. If it dies mid-transfer, whoever locks next can
// put them back. `bun run codegen` turns this into bank.generated.ts.
import { struct, t } from "@shmkit/layout-gen";

export const Journal = struct("Journal", {
  active: t.u32, // 1 while a transfer is being applied
  transfer: t.u32, // its number
  from: t.u32,
  to: t.u32,
  amount: t.i32,
  from_before: t.i32, // the balances before it started: the undo record
  to_before: t.i32,
});

export const Bank = struct("Bank", {
  mutex: t.pthread_mutex, // robust: a holder's death is reported to the next lock(), not a hang
  balances: t.array(t.i32, 3),
  transfers: t.u32, // completed transfers
  journal: Journal,
});
