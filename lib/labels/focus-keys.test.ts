import { describe, expect, it } from "vitest";
import type { Taxonomy } from "../taxonomy/taxonomy";
import { commandForKey, keyedTaxonomy } from "./focus-keys";

function department(id: number, level: "primary" | "secondary", name: string, parentId: number | null, retired = false) {
  return {
    id,
    level,
    name,
    aliases: [],
    parentId,
    sortOrder: id,
    retiredAt: retired ? "2026-01-01T00:00:00.000Z" : null,
    mergedIntoId: null,
  };
}

const surgery = department(2, "primary", "Surgery", null);
const secondaries = Array.from({ length: 11 }, (_, index) => department(10 + index, "secondary", `S${index + 1}`, 2, index === 1));
const taxonomy: Taxonomy = {
  departments: [department(1, "primary", "Internal Medicine", null), surgery, ...secondaries],
  tree: [
    { ...department(1, "primary", "Internal Medicine", null), secondaries: [] },
    { ...surgery, secondaries },
  ],
};

describe("focus mode's keys", () => {
  const keyed = keyedTaxonomy(taxonomy);

  it("numbers primaries, then each primary's usable secondaries, leaving retired ones out", () => {
    expect(keyed.map((p) => [p.key, p.name])).toEqual([
      ["1", "Internal Medicine"],
      ["2", "Surgery"],
    ]);
    expect(keyed[1]!.secondaries.map((s) => `${s.key}:${s.name}`)).toEqual([
      "1:S1",
      "2:S3",
      "3:S4",
      "4:S5",
      "5:S6",
      "6:S7",
      "7:S8",
      "8:S9",
      "9:S10",
      "0:S11",
    ]);
  });

  it("reads a primary, then a secondary within it", () => {
    expect(commandForKey("2", null, keyed)).toEqual({ kind: "choose-primary", primary: "Surgery" });
    expect(commandForKey("0", "Surgery", keyed)).toEqual({ kind: "relabel", primary: "Surgery", secondary: "S11" });
    expect(commandForKey("N", "Surgery", keyed)).toEqual({ kind: "relabel", primary: "Surgery", secondary: null });
    expect(commandForKey("a", "Surgery", keyed)).toBeNull();
    expect(commandForKey("Enter", "Internal Medicine", keyed)).toEqual({ kind: "relabel", primary: "Internal Medicine", secondary: null });
  });

  it("acts on the sample with A/Enter, S, Z, R and ?", () => {
    expect(commandForKey("A", null, keyed)).toEqual({ kind: "confirm" });
    expect(commandForKey("Enter", null, keyed)).toEqual({ kind: "confirm" });
    expect(commandForKey("s", null, keyed)).toEqual({ kind: "skip" });
    expect(commandForKey("z", null, keyed)).toEqual({ kind: "undo" });
    expect(commandForKey("?", "Surgery", keyed)).toEqual({ kind: "help" });
    expect(commandForKey("Escape", "Surgery", keyed)).toEqual({ kind: "cancel" });
    expect(commandForKey("7", null, keyed)).toBeNull();
  });
});
