import { describe, expect, it } from "vitest";
import { extractJsonObject } from "./parse";

describe("extractJsonObject", () => {
  it("parses plain JSON", () => {
    expect(extractJsonObject('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("unwraps ```json and bare ``` fences", () => {
    expect(extractJsonObject('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJsonObject('```\n{"a": 2}\n```')).toEqual({ ok: true, value: { a: 2 } });
  });

  it("ignores prose before and after", () => {
    expect(extractJsonObject('Here you go:\n{"a": {"b": [1, 2]}}\nLet me know if you need more.')).toEqual({
      ok: true,
      value: { a: { b: [1, 2] } },
    });
  });

  it("removes trailing commas outside strings only", () => {
    expect(extractJsonObject('{"a": [1, 2,], "b": "x,}",}')).toEqual({ ok: true, value: { a: [1, 2], b: "x,}" } });
  });

  it("escapes raw newlines inside long string values", () => {
    const raw = '{"answer1": "Line one\nLine two", "answer2": "tab\there"}';
    expect(extractJsonObject(raw)).toEqual({ ok: true, value: { answer1: "Line one\nLine two", answer2: "tab\there" } });
  });

  it("keeps braces and quotes inside strings intact", () => {
    const raw = 'Result: {"q": "What does {x} mean in \\"set\\" notation?"} done';
    expect(extractJsonObject(raw)).toEqual({ ok: true, value: { q: 'What does {x} mean in "set" notation?' } });
  });

  it("does not rewrite True inside strings", () => {
    expect(extractJsonObject('{"a": True, "b": "True story"}')).toEqual({ ok: true, value: { a: true, b: "True story" } });
  });

  it("refuses to choose between two different objects", () => {
    const result = extractJsonObject('{"a": 1}\nor maybe\n{"a": 2}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/2 different JSON objects/);
  });

  it("accepts the same object repeated", () => {
    expect(extractJsonObject('{"a": 1}\n```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("rejects empty output, arrays, and broken JSON with a reason", () => {
    expect(extractJsonObject("  ")).toEqual({ ok: false, reason: "empty output" });
    expect(extractJsonObject("[1, 2]")).toEqual({ ok: false, reason: "no JSON object found in output" });
    const broken = extractJsonObject('{"a": 1, "b": }');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.reason).toMatch(/could not be parsed/);
  });
});
