import { describe, expect, test } from "bun:test";
import { canRunAsNobody, runSecurity, summarizeSecurity } from "../src/security/run.ts";

describe("security", () => {
  test("modes are exact under any umask, trustOwner refuses loose modes, and a squatter's segment is refused", async () => {
    const report = await runSecurity();
    console.log(summarizeSecurity(report));
    expect(report.failures).toEqual([]);
    expect(report.modesChecked).toBe(6 * 1024);
    expect(report.ownModesChecked).toBe(512);
    // Off root there is no second user to play the squatter; say so instead of pretending.
    if (canRunAsNobody()) expect(report.squatChecks).toBe(83);
    else expect(report.skipped).toBeString();
  }, 120_000);
});
