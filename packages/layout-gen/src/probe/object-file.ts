/**
 * Reads the bytes of named data symbols from a relocatable object file (ELF32/ELF64 little-endian, as gcc and
 * clang write for Linux targets, or Mach-O 64 for Apple targets), so a probe never runs target code.
 */

export type ObjectFormat = "elf32" | "elf64" | "macho64";

export interface ObjectSymbols {
  readonly format: ObjectFormat;
  /** The bytes of a defined data symbol (a copy), or undefined when it is not there. */
  read(name: string, size: number): Uint8Array | undefined;
}

export function readObject(bytes: Uint8Array): ObjectSymbols {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 16 && dv.getUint32(0, false) === 0x7f454c46) {
    if (bytes[5] !== 1) throw new Error("object file: big-endian ELF is not supported");
    return readElf(bytes, dv, bytes[4] === 2);
  }
  if (bytes.length >= 32 && dv.getUint32(0, true) === 0xfeedfacf) return readMachO(bytes, dv);
  throw new Error("object file: neither ELF nor 64-bit Mach-O");
}

function cString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

function slice(bytes: Uint8Array, at: number, size: number, nobits: boolean): Uint8Array {
  if (nobits) return new Uint8Array(size);
  if (at < 0 || at + size > bytes.length) throw new Error("object file: symbol data out of range");
  return bytes.slice(at, at + size);
}

function readElf(bytes: Uint8Array, dv: DataView, is64: boolean): ObjectSymbols {
  const u = (at: number, wide: boolean): number =>
    wide ? Number(dv.getBigUint64(at, true)) : dv.getUint32(at, true);
  const shoff = u(is64 ? 0x28 : 0x20, is64);
  const shentsize = dv.getUint16(is64 ? 0x3a : 0x2e, true);
  const shnum = dv.getUint16(is64 ? 0x3c : 0x30, true);
  const sections = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      type: dv.getUint32(at + 4, true),
      offset: u(at + (is64 ? 0x18 : 0x10), is64),
      size: u(at + (is64 ? 0x20 : 0x14), is64),
      link: dv.getUint32(at + (is64 ? 0x28 : 0x18), true),
    };
  });
  const symbols = new Map<string, { section: number; value: number }>();
  for (const symtab of sections.filter((s) => s.type === 2)) {
    const strtab = sections[symtab.link];
    if (!strtab) continue;
    const entsize = is64 ? 24 : 16;
    for (let at = symtab.offset; at + entsize <= symtab.offset + symtab.size; at += entsize) {
      const name = cString(bytes, strtab.offset + dv.getUint32(at, true));
      const value = is64 ? Number(dv.getBigUint64(at + 8, true)) : dv.getUint32(at + 4, true);
      const section = dv.getUint16(at + (is64 ? 6 : 14), true);
      if (name) symbols.set(name, { section, value });
    }
  }
  return {
    format: is64 ? "elf64" : "elf32",
    read(name, size) {
      const sym = symbols.get(name);
      const section = sym === undefined ? undefined : sections[sym.section];
      if (!sym || !section || sym.section === 0 || sym.section >= 0xff00) return undefined;
      return slice(bytes, section.offset + sym.value, size, section.type === 8 /* SHT_NOBITS */);
    },
  };
}

function readMachO(bytes: Uint8Array, dv: DataView): ObjectSymbols {
  const ncmds = dv.getUint32(16, true);
  const sections: { addr: number; offset: number; zerofill: boolean }[] = [];
  const symbols = new Map<string, { section: number; value: number }>();
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = dv.getUint32(at, true);
    const cmdsize = dv.getUint32(at + 4, true);
    if (cmd === 0x19 /* LC_SEGMENT_64 */) {
      const nsects = dv.getUint32(at + 64, true);
      for (let s = 0; s < nsects; s++) {
        const sect = at + 72 + s * 80;
        sections.push({
          addr: Number(dv.getBigUint64(sect + 32, true)),
          offset: dv.getUint32(sect + 48, true),
          zerofill: (dv.getUint32(sect + 64, true) & 0xff) === 1,
        });
      }
    } else if (cmd === 0x2 /* LC_SYMTAB */) {
      const symoff = dv.getUint32(at + 8, true);
      const nsyms = dv.getUint32(at + 12, true);
      const stroff = dv.getUint32(at + 16, true);
      for (let n = 0; n < nsyms; n++) {
        const e = symoff + n * 16;
        const name = cString(bytes, stroff + dv.getUint32(e, true));
        symbols.set(name.startsWith("_") ? name.slice(1) : name, {
          section: dv.getUint8(e + 5),
          value: Number(dv.getBigUint64(e + 8, true)),
        });
      }
    }
    at += cmdsize;
  }
  return {
    format: "macho64",
    read(name, size) {
      const sym = symbols.get(name);
      const section = sym === undefined || sym.section === 0 ? undefined : sections[sym.section - 1];
      if (!sym || !section) return undefined;
      return slice(bytes, section.offset + (sym.value - section.addr), size, section.zerofill);
    },
  };
}
