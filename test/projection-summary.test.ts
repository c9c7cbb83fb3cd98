import { describe, expect, it } from "vitest";
import { qualityLine, readProjections } from "../components/map/projection-summary";

const listed = (fields: Record<string, unknown>) =>
  readProjections({ projections: [{ id: "p", method: "umap", status: "done", createdAt: "", ...fields }] })[0]!;

describe("qualityLine", () => {
  it("shows the honest preservation and the department purity", () => {
    expect(qualityLine(listed({ neighbourPreservation: 0.648, neighbourPreservationAmongSample: 0.321, departmentPurity: 0.261 }))).toBe(
      "neighbour preservation 64.8% (k=15, among all points) · department purity 26.1% (k=10, primary)",
    );
  });

  it("names an old map's subsample figure as such, and says when a figure is missing", () => {
    expect(qualityLine(listed({ neighbourPreservation: null, neighbourPreservationAmongSample: 0.346 }))).toBe(
      "neighbour preservation 34.6% (k=15, among a subsample only: overstated) · department purity –",
    );
    expect(qualityLine(listed({}))).toBe("neighbour preservation – · department purity –");
  });
});
