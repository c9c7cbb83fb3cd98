import { describe, expect, it } from "vitest";
import { firstRow } from "./copy-binary-row";
import { inlineParameters, InlineParameterError, literalOf } from "./inline-parameters";

describe("inlineParameters", () => {
  it("writes each value as the quoted text a bind parameter would carry, casts left in place", () => {
    expect(inlineParameters("SELECT $1::uuid, $2::int8, $3::boolean, $4", ["0b7c", 42, true, null])).toBe(
      "SELECT '0b7c'::uuid, '42'::int8, 'true'::boolean, NULL",
    );
    expect(literalOf(9007199254740993n)).toBe("'9007199254740993'");
  });

  it("escapes quotes and backslashes, in strings and in array elements", () => {
    expect(literalOf("O'Brien")).toBe("'O''Brien'");
    expect(literalOf("a\\b")).toBe(" E'a\\\\b'");
    expect(literalOf(['say "hi"', "it's", null, 3])).toBe(String.raw` E'{"say \\"hi\\"","it''s",NULL,"3"}'`);
  });

  it("replaces $10 as one placeholder and does not re-read a value that itself holds $1", () => {
    const values = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    values[0] = "costs $2";
    expect(inlineParameters("SELECT $1, $10", values)).toBe("SELECT 'costs $2', 'v10'");
  });

  it("refuses a placeholder without a value, a dollar outside the placeholders, and values with no literal form", () => {
    expect(() => inlineParameters("SELECT $2", ["x"])).toThrow(InlineParameterError);
    expect(() => inlineParameters("SELECT $$x$$ || $1", ["x"])).toThrow(/outside its placeholders/);
    expect(() => literalOf(Number.NaN)).toThrow(InlineParameterError);
    expect(() => literalOf({ a: 1 })).toThrow(InlineParameterError);
    expect(() => literalOf([{ a: 1 }])).toThrow(InlineParameterError);
  });
});

describe("firstRow", () => {
  const signature = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
  const header = Buffer.concat([signature, Buffer.alloc(4), Buffer.alloc(4)]);
  const tuple = (...fields: (Buffer | null)[]) => {
    const parts: Uint8Array[] = [Buffer.from([0, fields.length])];
    for (const field of fields) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field === null ? -1 : field.length);
      parts.push(length, ...(field ? [field] : []));
    }
    return Buffer.concat(parts);
  };
  const trailer = Buffer.from([0xff, 0xff]);

  it("reads the fields of the first tuple, NULL as null", () => {
    const fields = firstRow(Buffer.concat([header, tuple(Buffer.from([0, 0, 0, 7]), null, Buffer.from("ab")), trailer]));
    expect(fields.map((field) => field?.toString("hex") ?? null)).toEqual(["00000007", null, "6162"]);
  });

  it("says so when the answer is not binary COPY, holds no row or is cut short", () => {
    expect(() => firstRow(Buffer.from("1\t2\n"))).toThrow(/binary format/);
    expect(() => firstRow(Buffer.concat([header, trailer]))).toThrow(/no row/);
    expect(() => firstRow(Buffer.concat([header, tuple(Buffer.from("abcdef")).subarray(0, 8)]))).toThrow(/truncated/);
  });
});
