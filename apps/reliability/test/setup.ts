// Preloaded by bunfig.toml: a net under the net. Every segment the suite makes carries this process's pid
// (children's names too), so whatever a killed child left behind is removed after the run.
import { afterAll } from "bun:test";
import { removeWithPrefix } from "../src/names.ts";

afterAll(() => {
  removeWithPrefix(`shmkit-test-rel-${process.pid}-`);
});
