import { describe, expect, it } from "vitest";
import { departmentColours, NO_DEPARTMENT_COLOUR, PRIMARY_COLOURS, SECONDARY_COLOURS, type PaletteDepartment } from "./department-palette";

// The paper's taxonomy as the seed migration numbers it: 6 primaries, then 29 secondaries.
const PAPER: PaletteDepartment[] = [
  ...Array.from({ length: 6 }, (_, n) => ({ id: n + 1, level: "primary" as const })),
  ...Array.from({ length: 29 }, (_, n) => ({ id: n + 7, level: "secondary" as const })),
];

function lab(hex: string): [number, number, number] {
  const linear = [1, 3, 5].map((at) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const [r, g, b] = linear;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, n) => v - lab(b)[n]!));

describe("department colours", () => {
  it("gives every department of the paper's taxonomy its own colour, far apart and far from the map's greys", () => {
    const colours = departmentColours(PAPER);
    for (const level of ["primary", "secondary"] as const) {
      const used = PAPER.filter((d) => d.level === level).map((d) => colours.get(d.id)!);
      expect(new Set(used).size).toBe(level === "primary" ? 6 : 29);
      for (let i = 0; i < used.length; i++) {
        for (let j = i + 1; j < used.length; j++) expect(deltaE(used[i]!, used[j]!), `${used[i]} vs ${used[j]}`).toBeGreaterThan(25);
        for (const grey of ["#ffffff", "#e3e6ea", NO_DEPARTMENT_COLOUR]) expect(deltaE(used[i]!, grey)).toBeGreaterThan(35);
      }
    }
    expect(colours.get(1)).toBe(PRIMARY_COLOURS[0]);
    expect(colours.get(7)).toBe(SECONDARY_COLOURS[0]);
  });

  it("depends on the taxonomy only: the order it is listed in does not matter, and a new department moves no other colour", () => {
    const before = departmentColours(PAPER);
    expect(departmentColours([...PAPER].reverse())).toEqual(before);
    const grown = departmentColours([...PAPER, { id: 36, level: "secondary" }, { id: 37, level: "primary" }]);
    for (const [id, colour] of before) expect(grown.get(id)).toBe(colour);
    expect(grown.get(36)).toBe(SECONDARY_COLOURS[0]);
  });
});
