// The struct the accessor micro-benchmark reads and writes: `bun run codegen` turns it into quote.<target>.generated.ts.
import { struct, t } from "@shmkit/layout-gen";

export const Quote = struct("Quote", { price: t.f64, qty: t.u32, side: t.u8 });
