import type { FrozenDepartment } from "./version-view";

/** The paper's curriculum: SFT stage 2 is Internal Medicine, stage 3 Endocrinology (DESIGN.md §1). */
export const STAGE2_PRIMARY = "Internal Medicine";
export const STAGE3_SECONDARY = "Endocrinology";

/** A department by its name or a former name (a renamed department keeps its old name as an alias). */
export function findDepartment(
  departments: readonly FrozenDepartment[],
  level: FrozenDepartment["level"],
  name: string,
): FrozenDepartment | null {
  return (
    departments.find((d) => d.level === level && d.name === name) ??
    departments.find((d) => d.level === level && d.aliases.includes(name)) ??
    null
  );
}

/** The ids the stage 2 and 3 pools select on; -1 (matches nothing) when the taxonomy lacks one. */
export function stageDepartmentIds(departments: readonly FrozenDepartment[]): { internalMedicine: number; endocrinology: number } {
  return {
    internalMedicine: findDepartment(departments, "primary", STAGE2_PRIMARY)?.id ?? -1,
    endocrinology: findDepartment(departments, "secondary", STAGE3_SECONDARY)?.id ?? -1,
  };
}
