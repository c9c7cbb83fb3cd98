import { describe, expect, it } from "vitest";
import { readExtras, viewSearch } from "../components/samples/browser-view";
import { presetHidden } from "../components/samples/column-names";
import { filterChips } from "../components/samples/filter-chips";
import { sampleQuerySchema } from "../lib/samples/sample-query";

describe("the samples view's URL", () => {
  it("opens with the Labelling preset, and keeps another preset or a hand-picked set", () => {
    expect(readExtras(new URLSearchParams(""))).toMatchObject({ preset: "labelling", hidden: presetHidden("labelling") });
    expect(presetHidden("labelling")).toEqual(expect.arrayContaining(["snippet", "run"]));
    expect(presetHidden("labelling")).not.toContain("primary");
    expect(readExtras(new URLSearchParams("cols=lineage"))).toMatchObject({ preset: "lineage", hidden: presetHidden("lineage") });
    // A link from before the presets (a bare `hide`) still opens as it was.
    expect(readExtras(new URLSearchParams("hide=snippet"))).toMatchObject({ preset: null, hidden: ["snippet"] });
    const query = sampleQuerySchema.parse({});
    expect(viewSearch({ query, prev: [], preset: "labelling", hidden: presetHidden("labelling"), sample: null })).toBe("");
    expect(viewSearch({ query, prev: [], preset: "scores", hidden: presetHidden("scores"), sample: 4 })).toBe("?cols=scores&sample=4");
    const custom = viewSearch({ query, prev: [], preset: null, hidden: ["snippet", "run"], sample: null });
    expect(readExtras(new URLSearchParams(custom))).toMatchObject({ preset: null, hidden: ["snippet", "run"] });
  });
});

describe("filter chips", () => {
  it("has one chip per active filter, and removing one leaves the others", () => {
    const filters = sampleQuerySchema.parse({
      filters: { tier: ["complex"], quality: { min: 7 }, text: "insulin", mentionsDetails: false },
    }).filters;
    const chips = filterChips(filters, {});
    expect(chips.map((chip) => chip.text)).toEqual(["Search “insulin”", "Quality ≥ 7", "Tier: complex", "Mentions details: no"]);
    const withoutTier = chips.find((chip) => chip.key === "tier")!.without;
    expect(withoutTier).toMatchObject({ quality: { min: 7 }, text: "insulin", mentionsDetails: false });
    expect(withoutTier.tier).toBeUndefined();
    expect(filterChips(sampleQuerySchema.parse({}).filters, {})).toEqual([]);
  });
});
