import { describe, expect, test } from "bun:test";
import { NAME_MAX, normalizeName, Segment, ShmArgumentError } from "../src/index.ts";

describe("segment names", () => {
  test("accept /orders and orders as the same segment", () => {
    expect(normalizeName("/orders")).toBe("/orders");
    expect(normalizeName("orders")).toBe("/orders");
  });

  test.each([
    ["", "must not be empty"],
    ["/", "must not be empty"],
    ["/a/b", "must not contain a slash"],
    ["//orders", "must not contain a slash"],
    ["a/", "must not contain a slash"],
    [".", "must not be . or .."],
    ["/..", "must not be . or .."],
    ["a\0b", "NUL"],
  ])("reject %j before any syscall: %s", (name, reason) => {
    expect(() => Segment.create(name, { size: 16 })).toThrow(ShmArgumentError);
    expect(() => Segment.open(name)).toThrow(reason);
    expect(() => Segment.unlink(name)).toThrow(reason);
  });

  test("names of 255 bytes pass and 256 bytes fail, counted in UTF-8 bytes", () => {
    expect(normalizeName("a".repeat(NAME_MAX))).toHaveLength(NAME_MAX + 1);
    expect(() => normalizeName("a".repeat(NAME_MAX + 1))).toThrow("must be at most 255 bytes");
    // 128 two-byte characters are 256 bytes.
    expect(() => normalizeName("é".repeat(128))).toThrow("this one has 256");
  });

  test("a name that is not a string is an argument error", () => {
    expect(() => Segment.open(42 as unknown as string)).toThrow("name: must be a string, got 42");
  });
});
