// A worker: applies transfers one at a time, each under the robust mutex, journal first.
// With a crash point it kills itself between the debit and the credit, holding the lock: the worst moment.
//   (started by main.ts) bun worker.ts <segment> <transfers> [crash-at]
import { Bank } from "./bank.generated.ts";
import { transferNumber } from "./transfers.ts";

const [name, countText, crashText] = process.argv.slice(2);
const count = Number(countText);
const crashAt = crashText === undefined ? 0 : Number(crashText);
if (!name || !Number.isInteger(count) || !Number.isInteger(crashAt)) {
  console.error("usage: worker.ts <segment> <transfers> [crash-at]");
  process.exit(2);
}

using shm = Bank.open(name, { timeoutMs: 5000 });
const bank = shm.data;
for (let i = 0; i < count; i++) {
  bank.mutex.withLock(
    (state) => {
      if (state === "owner-died")
        throw new Error("worker: found the bank unrepaired; the supervisor repairs it");
      const n = bank.transfers + 1;
      const { from, to, amount } = transferNumber(n);
      const j = bank.journal;
      // 1. The undo record, complete before any balance changes.
      j.transfer = n;
      j.from = from;
      j.to = to;
      j.amount = amount;
      j.from_before = bank.balances[from] as number;
      j.to_before = bank.balances[to] as number;
      j.active = 1;
      // 2. The update itself, in two steps that a crash can separate.
      bank.balances[from] = (bank.balances[from] as number) - amount;
      if (n === crashAt) {
        console.log(
          `worker ${process.pid}: debited account ${from} for transfer #${n}, now dying with the lock held`,
        );
        process.kill(process.pid, "SIGKILL"); // no finally, no unlock: as if the machine pulled the plug
      }
      bank.balances[to] = (bank.balances[to] as number) + amount;
      // 3. Done: the journal entry is no longer needed.
      bank.transfers = n;
      j.active = 0;
    },
    { timeoutMs: 5000 },
  );
}
console.log(`worker ${process.pid}: applied ${count} transfers`);
