import type { Department, DepartmentLevel, Taxonomy } from "./taxonomy";

/** Lookups over one loaded taxonomy: names to ids for filters and labels, ids to names for display. */
export class TaxonomyIndex {
  private readonly byId = new Map<number, Department>();
  private readonly byName = new Map<string, Department>();

  constructor(readonly taxonomy: Taxonomy) {
    for (const department of taxonomy.departments) {
      this.byId.set(department.id, department);
      this.byName.set(`${department.level}:${department.name}`, department);
    }
  }

  get(id: number): Department | undefined {
    return this.byId.get(id);
  }

  find(level: DepartmentLevel, name: string): Department | undefined {
    return this.byName.get(`${level}:${name}`);
  }

  nameOf(id: number | null): string | null {
    return id === null ? null : (this.byId.get(id)?.name ?? `#${id}`);
  }

  /** A department is usable for a new label when neither it nor its primary is retired. */
  isUsable(department: Department): boolean {
    if (department.retiredAt !== null) return false;
    const parent = department.parentId === null ? undefined : this.byId.get(department.parentId);
    return parent === undefined || parent.retiredAt === null;
  }

  activeSecondariesOf(primaryId: number): Department[] {
    return this.taxonomy.departments.filter((d) => d.parentId === primaryId && d.retiredAt === null);
  }
}
