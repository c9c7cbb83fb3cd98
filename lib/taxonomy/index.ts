export { currentTaxonomy, type Department, type DepartmentLevel, type PrimaryWithSecondaries, type Taxonomy } from "./taxonomy";
export { TaxonomyIndex } from "./taxonomy-index";
export { resolveLabelTarget, TaxonomyViolation, type LabelTarget, type ResolvedLabel } from "./label-target";
export { addDepartment, renameDepartment, retireDepartment } from "./edit-taxonomy";
