// Compiles writer.c and reader.c with the system C compiler against the generated header.
import { join } from "node:path";

export interface CPrograms {
  writer: string;
  reader: string;
}

/** Builds both C programs into `outDir`; throws with the compiler's own message if one does not compile. */
export async function compileC(outDir: string, cc = process.env.CC ?? "cc"): Promise<CPrograms> {
  const dir = import.meta.dir;
  const build = async (program: keyof CPrograms): Promise<string> => {
    const out = join(outDir, program);
    // -Werror: a warning here means the header and the C code disagree; -lrt: shm_open on glibc before 2.34.
    const args = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread", `-I${dir}`];
    const child = Bun.spawn([...args, "-o", out, join(dir, `${program}.c`), "-lrt"], {
      stdout: "pipe",
      stderr: "pipe",
      timeout: 60_000,
    });
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`${cc} ${program}.c exited with ${code}:\n${stderr}`);
    return out;
  };
  const [writer, reader] = await Promise.all([build("writer"), build("reader")]);
  return { writer, reader };
}
