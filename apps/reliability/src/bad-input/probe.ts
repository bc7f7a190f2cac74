import type { TypedClass } from "@shmkit/core";
import type { FieldDigest, SyncField, Views } from "@shmkit/core/runtime";
import { hostTarget } from "@shmkit/core/targets";

/**
 * A hand-written accessor in the shape layout-gen generates, for the typed-header cases:
 * `struct Probe { double price; uint32_t qty; uint8_t tag[12]; }` (24 bytes, alignment 8).
 */
export interface Probe {
  readonly price: number;
  readonly qty: number;
  readonly tag: number;
}

export const PROBE_SIZE = 24;

/** The Probe class with layout fingerprint `fingerprint`, as if generated from a schema with that layout. */
export function probeClass(fingerprint: string): TypedClass<Probe> {
  return class ProbeAccessor implements Probe {
    static readonly NAME = "Probe";
    static readonly TARGET = hostTarget().name;
    static readonly SIZE = PROBE_SIZE;
    static readonly ALIGN = 8;
    static readonly FINGERPRINT = fingerprint;
    static readonly SYNC: readonly SyncField[] = [];
    static readonly FIELDS: readonly FieldDigest[] = [
      { name: "price", offset: 0, size: 8, typeHash: 1 },
      { name: "qty", offset: 8, size: 4, typeHash: 2 },
      { name: "tag", offset: 12, size: 12, typeHash: 3 },
    ];
    readonly #v: Views;
    readonly #base: number;
    constructor(views: Views, base: number) {
      this.#v = views;
      this.#base = base;
    }
    get price(): number {
      return this.#v.f64[this.#base >>> 3] ?? Number.NaN;
    }
    get qty(): number {
      return this.#v.u32[(this.#base + 8) >>> 2] ?? -1;
    }
    get tag(): number {
      return this.#v.u8[this.#base + 12] ?? -1;
    }
  };
}
