// The records that flow through the pipeline: each channel carries one struct, and Channel.open({ of }) refuses a
// channel made for another layout. `bun run codegen` turns this into records.generated.ts.
import { struct, t } from "@shmkit/layout-gen";

/** What the source produces. */
export const Raw = struct("Raw", {
  seq: t.u32,
  sensor: t.u16,
  celsius: t.f64,
});

/** What the transform stage makes of it. */
export const Converted = struct("Converted", {
  seq: t.u32,
  sensor: t.u16,
  celsius: t.f64,
  fahrenheit: t.f64,
});
