// Crash recovery with a robust mutex: a worker dies holding the lock halfway through a transfer; the
// supervisor's lock() returns "owner-died", it rolls the transfer back from the journal, calls markConsistent(),
// and carries on with a new worker. The total across accounts is the same at the end.
//   bun run --filter examples crash-recovery [crash-at=5]     (crash-at 0: the worker does not crash)
import { Segment, ShmError } from "@shmkit/core";
import { Bank } from "./bank.generated.ts";
import { ACCOUNTS, OPENING_BALANCE, TOTAL, total } from "./transfers.ts";

const SEGMENT = process.env.SHMKIT_EXAMPLE_SEGMENT ?? "/shmkit-example-bank";
const crashAt = Number(process.argv[2] ?? 5);
if (!Number.isInteger(crashAt) || crashAt < 0) {
  console.error("usage: main.ts [crash-at >= 0]");
  process.exit(2);
}

async function worker(transfers: number, crash: number): Promise<string> {
  const argv = [process.execPath, `${import.meta.dir}/worker.ts`, SEGMENT, String(transfers), String(crash)];
  const child = Bun.spawn(argv, { stdout: "inherit", stderr: "inherit", timeout: 30_000 });
  await child.exited;
  return child.signalCode ? `was killed by ${child.signalCode}` : `exited with ${child.exitCode}`;
}

using shm = createBank();
const bank = shm.data;
try {
  console.log(`supervisor: ${ACCOUNTS} accounts of ${OPENING_BALANCE}, total ${TOTAL}`);
  console.log(`supervisor: first worker ${await worker(8, crashAt)}`);

  const state = bank.mutex.lock({ timeoutMs: 5000 });
  console.log(`supervisor: lock() returned "${state}"`);
  if (state === "owner-died") {
    // We hold the lock, but the data it guards may be half-updated: look at the journal before anything else.
    const j = bank.journal;
    console.log(`supervisor: total is ${total(bank)}, should be ${TOTAL}`);
    if (j.active && (j.from >= ACCOUNTS || j.to >= ACCOUNTS)) {
      // The journal is shared memory too: a record naming accounts that do not exist cannot be trusted to undo.
      throw new Error(
        `the journal names accounts ${j.from} and ${j.to}, but there are ${ACCOUNTS}; not repairing`,
      );
    }
    if (j.active) {
      const [fromNow, toNow] = [bank.balances[j.from], bank.balances[j.to]];
      bank.balances[j.from] = j.from_before;
      bank.balances[j.to] = j.to_before;
      j.active = 0;
      console.log(
        `supervisor: rolled back transfer #${j.transfer} (${j.amount} from account ${j.from} to ${j.to}): account ${j.from} ${fromNow} → ${j.from_before}, account ${j.to} ${toNow} → ${j.to_before}`,
      );
    } else {
      console.log("supervisor: the journal is empty, no transfer was in flight: nothing to repair");
    }
    // Without this, unlock() would leave the mutex unusable (ENOTRECOVERABLE) for every process.
    bank.mutex.markConsistent();
  } else {
    console.log("supervisor: the worker released the lock; nothing to repair");
  }
  const done = bank.transfers;
  bank.mutex.unlock();

  console.log(`supervisor: second worker ${await worker(4, 0)}`);
  bank.mutex.withLock(() => {
    const sum = total(bank);
    console.log(
      `supervisor: ${bank.transfers} transfers applied (${done} by the first worker), balances ${[...bank.balances].join(" ")}, total ${sum}`,
    );
    if (sum !== TOTAL) {
      console.error(`crash-recovery: the total is ${sum}, not ${TOTAL}: money was lost`);
      process.exitCode = 1;
    }
  });
} catch (error) {
  console.error(`crash-recovery: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  Segment.unlink(SEGMENT, { ifExists: true });
}

/** A new bank; create() initialises its mutex robust (and error-checking) by default. */
function createBank() {
  try {
    return Bank.create(SEGMENT, { init: (bank) => bank.balances.fill(OPENING_BALANCE) });
  } catch (error) {
    if (!(error instanceof ShmError) || error.code !== "EEXIST") throw error;
    console.error(
      `crash-recovery: ${error.message}; another run is using it, or left it: shmkit rm ${SEGMENT}`,
    );
    process.exit(1);
  }
}
