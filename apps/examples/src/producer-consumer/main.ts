// Seed 000 with processes: a producer puts items 1..M into a bounded queue in a typed segment, N consumer
// children take them, and a mutex plus two condition variables (all PTHREAD_PROCESS_SHARED) coordinate them.
//   bun run --filter examples producer-consumer [consumers=3] [items=2000]
import { Mutex, Segment, ShmError } from "@shmkit/core";
import { exactlyOnce } from "./exactly-once.ts";
import { Queue } from "./queue.generated.ts";

const SEGMENT = process.env.SHMKIT_EXAMPLE_SEGMENT ?? "/shmkit-example-queue";
const consumers = Number(process.argv[2] ?? 3);
const total = Number(process.argv[3] ?? 2000);
if (!Number.isInteger(consumers) || consumers < 1 || !Number.isInteger(total) || total < 1) {
  console.error("usage: main.ts [consumers >= 1] [items >= 1]");
  process.exit(2);
}

// create() makes the segment with O_EXCL, initialises the mutex and both condition variables as process-shared
// (seed 000's pthread_*attr_setpshared + *_init), and marks it ready: no child can see it half-made.
using shm = createQueue();
const q = shm.data;
const children: Bun.Subprocess<"ignore", "pipe", "inherit">[] = [];
try {
  // Bun.spawn is the exec family's execve: the argument vector as an array (-v), our own environment (-e), and
  // the absolute path of bun instead of a PATH search (no -p). The children map the segment by name.
  for (let id = 0; id < consumers; id++) {
    children.push(
      Bun.spawn([process.execPath, `${import.meta.dir}/consumer.ts`, SEGMENT, String(id)], {
        stdin: "ignore",
        stdout: "pipe",
        stderr: "inherit",
        timeout: 40_000,
      }),
    );
  }

  const started = performance.now();
  const deadline = Date.now() + 30_000;
  for (let item = 1; item <= total; item++) {
    q.mutex.withLock(() => {
      while (q.count === q.items.length) {
        if (Date.now() > deadline) throw new Error("producer: the consumers stopped taking items");
        q.not_full.wait(q.mutex, { timeoutMs: 1000 });
      }
      q.items[(q.head + q.count) % q.items.length] = item;
      q.count += 1;
      q.not_empty.signal();
    });
  }
  // Closing wakes every waiting consumer: each drains what is left, sees `closed`, and exits.
  q.mutex.withLock(() => {
    q.closed = 1;
    q.not_empty.broadcast();
  });

  const reports = await Promise.all(
    children.map(async (child, id) => {
      const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
      if (code !== 0) throw new Error(`consumer ${id} exited with ${code}`);
      return JSON.parse(out) as { id: number; pid: number; items: number[] };
    }),
  );
  const ms = performance.now() - started;

  for (const r of reports) console.log(`consumer ${r.id} (pid ${r.pid}): ${r.items.length} items`);
  const problems = exactlyOnce(
    reports.map((r) => r.items),
    total,
  );
  if (problems.length > 0) {
    for (const p of problems) console.error(`producer-consumer: ${p}`);
    process.exitCode = 1;
  } else {
    console.log(
      `producer-consumer: ${total} items through a ${q.items.length}-slot queue, each consumed exactly once by ${consumers} processes, in ${ms.toFixed(0)} ms`,
    );
  }
} catch (error) {
  for (const child of children) child.kill();
  console.error(`producer-consumer: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  // The creator removes the name; the children's mappings stay valid until they exit.
  Segment.unlink(SEGMENT, { ifExists: true });
}

function createQueue() {
  try {
    // Robust where the kernel keeps robust futex lists (not under qemu-user, where create() would refuse it).
    return Queue.create(SEGMENT, { robust: Mutex.robustSupported });
  } catch (error) {
    if (!(error instanceof ShmError) || error.code !== "EEXIST") throw error;
    // O_EXCL refused to reuse a name: another run is live, or one died; never take over its segment silently.
    console.error(
      `producer-consumer: ${error.message}; another run is using it, or left it: shmkit rm ${SEGMENT}`,
    );
    process.exit(1);
  }
}
