import { describe, expect, it } from "vitest";
import {
  DEPARTMENT_TREE,
  PRIMARY_DEPARTMENTS,
  SECONDARY_DEPARTMENTS,
  mapPrimaryAnswer,
  mapSecondaryAnswer,
  primaryOfSecondary,
  type PrimaryDepartment,
} from "./paper-departments";

describe("department taxonomy", () => {
  it("has the 6 primary and 29 secondary departments of DESIGN.md", () => {
    expect(PRIMARY_DEPARTMENTS).toEqual([
      "Internal Medicine",
      "Surgery",
      "Obstetrics and Gynecology",
      "Pediatrics",
      "Otorhinolaryngology",
      "Other Departments",
    ]);
    expect(SECONDARY_DEPARTMENTS).toHaveLength(29);
    expect(new Set(SECONDARY_DEPARTMENTS).size).toBe(29);
    expect(DEPARTMENT_TREE["Internal Medicine"]).toHaveLength(8);
    expect(DEPARTMENT_TREE.Surgery).toHaveLength(10);
    expect(DEPARTMENT_TREE.Otorhinolaryngology).toEqual(["Otorhinolaryngology (ENT)", "Ophthalmology", "Dentistry (Oral Medicine)"]);
    expect(DEPARTMENT_TREE["Other Departments"]).toContain("Traditional Chinese Medicine (TCM)");
    expect(primaryOfSecondary("Endocrinology")).toBe("Internal Medicine");
  });

  it("maps every canonical name onto itself", () => {
    for (const primary of PRIMARY_DEPARTMENTS) {
      expect(mapPrimaryAnswer(primary)).toEqual({ ok: true, department: primary, raw: primary });
      for (const secondary of DEPARTMENT_TREE[primary]) {
        expect(mapSecondaryAnswer(primary, secondary)).toEqual({ ok: true, department: secondary, raw: secondary });
      }
    }
  });
});

describe("mapPrimaryAnswer", () => {
  const table: Array<[string, PrimaryDepartment]> = [
    ["internal medicine.", "Internal Medicine"],
    ["INTERNAL MEDICINE", "Internal Medicine"],
    ['"Internal Medicine"', "Internal Medicine"],
    ["**Surgery**", "Surgery"],
    ["`Pediatrics`", "Pediatrics"],
    ["ENT", "Otorhinolaryngology"],
    ["Otorhinolaryngology (ENT)", "Otorhinolaryngology"],
    ["OB/GYN", "Obstetrics and Gynecology"],
    ["Obstetrics & Gynecology", "Obstetrics and Gynecology"],
    ["Other Departments.", "Other Departments"],
    ["Output: Surgery", "Surgery"],
    ["Internal Medicine department", "Internal Medicine"],
    ["Internal Medicine: Diseases related to internal organs, such as heart disease", "Internal Medicine"],
    ["  ‘Pediatrics’\n", "Pediatrics"],
  ];
  it.each(table)("%j → %s", (raw, department) => {
    expect(mapPrimaryAnswer(raw)).toEqual({ ok: true, department, raw });
  });

  it.each([
    ["", /empty/],
    ["I think it could be Surgery or Internal Medicine", /primary departments/],
    ["Cardiology", /secondary department \(of Internal Medicine\)/],
    ["None", /primary department is required/],
    ["asdfgh", /primary departments/],
    ["Surgery\nBecause the patient needs an operation.", /primary departments/],
  ])("rejects %j", (raw, reason) => {
    const result = mapPrimaryAnswer(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.raw).toBe(raw);
    }
  });
});

describe("mapSecondaryAnswer", () => {
  const table: Array<[PrimaryDepartment, string, string | null]> = [
    ["Otorhinolaryngology", "ENT", "Otorhinolaryngology (ENT)"],
    ["Otorhinolaryngology", "Otorhinolaryngology", "Otorhinolaryngology (ENT)"],
    ["Otorhinolaryngology", "Oral Medicine", "Dentistry (Oral Medicine)"],
    ["Otorhinolaryngology", "dentistry.", "Dentistry (Oral Medicine)"],
    ["Other Departments", "TCM", "Traditional Chinese Medicine (TCM)"],
    ["Other Departments", "Traditional Chinese Medicine", "Traditional Chinese Medicine (TCM)"],
    ["Other Departments", "Dermatology", "Dermatology and Venereology"],
    ["Internal Medicine", "Cardiology department", "Cardiology"],
    ["Internal Medicine", "Department of Cardiology", "Cardiology"],
    ["Internal Medicine", "## Endocrinology", "Endocrinology"],
    ["Internal Medicine", "Rheumatology & Immunology", "Rheumatology and Immunology"],
    ["Surgery", "orthopedic surgery.", "Orthopedic Surgery"],
    ["Obstetrics and Gynecology", "Obstetrics", "Obstetrics"],
    ["Pediatrics", "Pediatric Internal Medicine", "Pediatric Internal Medicine"],
    ["Internal Medicine", "None", null],
    ["Surgery", "none", null],
    ["Pediatrics", "'None'", null],
    ["Other Departments", "N/A", null],
    ["Internal Medicine", "*None’.", null],
  ];
  it.each(table)("%s / %j → %s", (primary, raw, department) => {
    expect(mapSecondaryAnswer(primary, raw)).toEqual({ ok: true, department, raw });
  });

  it.each<[PrimaryDepartment, string, RegExp]>([
    ["Internal Medicine", "Urology", /belongs to Surgery, not to Internal Medicine/],
    ["Surgery", "Cardiology", /belongs to Internal Medicine, not to Surgery/],
    ["Internal Medicine", "ENT", /belongs to Otorhinolaryngology/],
    // "Internal Medicine" under Pediatrics might mean Pediatric Internal Medicine: not guessed.
    ["Pediatrics", "Internal Medicine", /primary department, not a secondary of Pediatrics/],
    ["Pediatrics", "Surgery", /primary department/],
    ["Internal Medicine", "Cardiology or Neurology", /does not name/],
    ["Internal Medicine", "banana", /does not name/],
    ["Internal Medicine", "   ", /empty/],
  ])("%s / %j is rejected", (primary, raw, reason) => {
    const result = mapSecondaryAnswer(primary, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.raw).toBe(raw);
    }
  });
});
