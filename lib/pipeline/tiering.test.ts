import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_THRESHOLD, parseTierThreshold, tierOf } from "./tiering";

describe("tierOf", () => {
  it("uses the paper's threshold 8 by default: complex when difficulty ≥ 8", () => {
    expect(DEFAULT_TIER_THRESHOLD).toBe(8);
    expect(tierOf(7)).toBe("common");
    expect(tierOf(8)).toBe("complex");
    expect(tierOf(10)).toBe("complex");
    expect(tierOf(1)).toBe("common");
  });

  it("honours a configured threshold", () => {
    expect(tierOf(6, 6)).toBe("complex");
    expect(tierOf(5, 6)).toBe("common");
    expect(tierOf(1, 1)).toBe("complex");
    expect(tierOf(9, 10)).toBe("common");
  });

  it("throws on an invalid threshold or difficulty", () => {
    expect(() => tierOf(8, 0)).toThrow(RangeError);
    expect(() => tierOf(8, 11)).toThrow(RangeError);
    expect(() => tierOf(8, 7.5)).toThrow(RangeError);
    expect(() => tierOf(0)).toThrow(RangeError);
    expect(() => tierOf(8.5)).toThrow(RangeError);
  });
});

describe("parseTierThreshold", () => {
  it("accepts integers 1–10, also from strings", () => {
    expect(parseTierThreshold(8)).toEqual({ ok: true, value: 8 });
    expect(parseTierThreshold("9")).toEqual({ ok: true, value: 9 });
    expect(parseTierThreshold(1)).toEqual({ ok: true, value: 1 });
  });

  it.each([0, 11, 7.5, "", "eight", null, undefined, Number.NaN])("rejects %j", (value) => {
    const result = parseTierThreshold(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/integer from 1 to 10/);
  });
});
