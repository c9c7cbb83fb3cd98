import { describe, expect, it } from "vitest";
import { knnDepartmentPurity } from "./department-purity";

const at = (x: number, y: number) => new Float32Array([x, y]);
// Two tight groups far apart: each point's 2 nearest neighbours are the rest of its own group.
const points = [at(0, 0), at(0, 1), at(1, 0), at(10, 10), at(10, 11), at(11, 10)];

describe("knnDepartmentPurity", () => {
  it("is 1 when every point's neighbours share its department and falls when departments are mixed", () => {
    expect(knnDepartmentPurity(points, [1, 1, 1, 2, 2, 2], 2)).toBe(1);
    expect(knnDepartmentPurity(points, [1, 2, 1, 2, 1, 2], 2)).toBeCloseTo(1 / 3, 10);
  });

  it("skips unlabelled points as queries and never counts them as a match", () => {
    // Point 0 has no department; points 1 and 2 each see it as one of their two neighbours (not a match).
    expect(knnDepartmentPurity(points, [null, 1, 1, 2, 2, 2], 2)).toBeCloseTo((0.5 + 0.5 + 1 + 1 + 1) / 5, 10);
    expect(() => knnDepartmentPurity(points, [null, null, null, null, null, null], 2)).toThrow(/at least one/);
  });

  it("rejects a label list of the wrong length", () => {
    expect(() => knnDepartmentPurity(points, [1, 2], 2)).toThrow(/departments/);
  });
});
