// The FineMed department taxonomy (paper Appendix C/D; DESIGN.md): 6 primary, 29 secondary.
// Names are spelled exactly as the classification prompts (Tables 7–13) list them.

export const DEPARTMENT_TREE = {
  "Internal Medicine": [
    "Respiratory and Critical Care Medicine",
    "Cardiology",
    "Endocrinology",
    "Gastroenterology",
    "Hematology",
    "Nephrology",
    "Rheumatology and Immunology",
    "Neurology",
  ],
  Surgery: [
    "Gastrointestinal Surgery",
    "Hepatobiliary Surgery",
    "Urology",
    "Cardiovascular Surgery",
    "Thoracic Surgery",
    "Orthopedic Surgery",
    "Neurosurgery",
    "Burns and Plastic Surgery",
    "Thyroid Surgery",
    "Breast Surgery",
  ],
  "Obstetrics and Gynecology": ["Gynecology", "Obstetrics"],
  Pediatrics: ["Pediatric Internal Medicine", "Pediatric Surgery"],
  Otorhinolaryngology: ["Otorhinolaryngology (ENT)", "Ophthalmology", "Dentistry (Oral Medicine)"],
  "Other Departments": ["Dermatology and Venereology", "Rehabilitation Medicine", "Anesthesiology", "Traditional Chinese Medicine (TCM)"],
} as const;

export type PrimaryDepartment = keyof typeof DEPARTMENT_TREE;
export type SecondaryDepartment = (typeof DEPARTMENT_TREE)[PrimaryDepartment][number];

export const PRIMARY_DEPARTMENTS = Object.keys(DEPARTMENT_TREE) as PrimaryDepartment[];

export const SECONDARY_DEPARTMENTS: readonly SecondaryDepartment[] = PRIMARY_DEPARTMENTS.flatMap(
  (primary) => DEPARTMENT_TREE[primary] as readonly SecondaryDepartment[],
);

export function isPrimaryDepartment(value: string): value is PrimaryDepartment {
  return Object.prototype.hasOwnProperty.call(DEPARTMENT_TREE, value);
}

export function secondaryDepartmentsOf(primary: PrimaryDepartment): readonly SecondaryDepartment[] {
  return DEPARTMENT_TREE[primary];
}

export function primaryOfSecondary(secondary: SecondaryDepartment): PrimaryDepartment {
  const primary = PRIMARY_DEPARTMENTS.find((p) => (DEPARTMENT_TREE[p] as readonly string[]).includes(secondary));
  // Unreachable for a typed SecondaryDepartment; kept so a bad cast fails loudly.
  if (!primary) throw new Error(`unknown secondary department: ${secondary}`);
  return primary;
}

export type DepartmentMapping<D> = { ok: true; department: D; raw: string } | { ok: false; reason: string; raw: string };

// Spellings a classifier plausibly writes besides the canonical name. Only unambiguous forms:
// each alias names exactly one department at its level.
const PRIMARY_ALIASES: Record<PrimaryDepartment, readonly string[]> = {
  "Internal Medicine": [],
  Surgery: ["surgical"],
  "Obstetrics and Gynecology": ["OB/GYN", "OBGYN", "Obstetrics and Gynaecology", "Gynecology and Obstetrics"],
  Pediatrics: ["Paediatrics", "Pediatric"],
  Otorhinolaryngology: ["Otorhinolaryngology (ENT)", "ENT", "Otolaryngology", "Ear Nose and Throat"],
  "Other Departments": ["Other", "Others", "Other Department"],
};

const SECONDARY_ALIASES: Record<SecondaryDepartment, readonly string[]> = {
  "Respiratory and Critical Care Medicine": ["Respiratory Medicine", "Respiratory and Critical Care", "Respiratory"],
  Cardiology: [],
  Endocrinology: [],
  Gastroenterology: [],
  Hematology: ["Haematology"],
  Nephrology: [],
  "Rheumatology and Immunology": ["Rheumatology", "Immunology"],
  Neurology: [],
  "Gastrointestinal Surgery": [],
  "Hepatobiliary Surgery": [],
  Urology: [],
  "Cardiovascular Surgery": [],
  "Thoracic Surgery": [],
  "Orthopedic Surgery": ["Orthopaedic Surgery", "Orthopedics", "Orthopaedics"],
  Neurosurgery: [],
  "Burns and Plastic Surgery": ["Burn and Plastic Surgery", "Plastic Surgery"],
  "Thyroid Surgery": [],
  "Breast Surgery": [],
  Gynecology: ["Gynaecology"],
  Obstetrics: [],
  "Pediatric Internal Medicine": ["Paediatric Internal Medicine"],
  "Pediatric Surgery": ["Paediatric Surgery"],
  "Otorhinolaryngology (ENT)": ["Otorhinolaryngology", "ENT", "Otolaryngology", "Ear Nose and Throat"],
  Ophthalmology: [],
  "Dentistry (Oral Medicine)": ["Dentistry", "Oral Medicine", "Stomatology"],
  "Dermatology and Venereology": ["Dermatology", "Dermatology and Venerology"],
  "Rehabilitation Medicine": ["Rehabilitation"],
  Anesthesiology: ["Anaesthesiology"],
  "Traditional Chinese Medicine (TCM)": ["Traditional Chinese Medicine", "TCM"],
};

const NONE_ANSWERS = new Set(["none", "n a", "na", "none of the above", "null"]);

const LABEL_PREFIX = /^(?:output|answer|department|category|final answer)\s*:\s*/i;

// Reduces an answer to a comparison key: the classifier's wrapping (markdown, quotes, case,
// punctuation, "department" suffix) carries no meaning, so it must not affect the match.
export function departmentKey(text: string): string {
  let key = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  key = key.replace(/^the /, "").replace(/^department of /, "");
  key = key.replace(/ (?:department|departments|dept)$/, "");
  return key;
}

function buildIndex<D extends string>(aliases: Record<D, readonly string[]>): Map<string, D> {
  const index = new Map<string, D>();
  for (const department of Object.keys(aliases) as D[]) {
    for (const spelling of [department, ...aliases[department]]) {
      const key = departmentKey(spelling);
      const existing = index.get(key);
      if (existing !== undefined && existing !== department) {
        throw new Error(`alias "${spelling}" names both ${existing} and ${department}`);
      }
      index.set(key, department);
    }
  }
  return index;
}

const PRIMARY_INDEX = buildIndex(PRIMARY_ALIASES);
const SECONDARY_INDEX = buildIndex(SECONDARY_ALIASES);

// Candidate readings of one answer, most literal first. A model that echoes the prompt's
// "Name: description" line still names one department before the colon.
function candidateKeys(raw: string): string[] {
  const lines = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const firstLine = lines[0] ?? "";
  const unlabelled = firstLine.replace(/^[*_`#>\s]+/, "").replace(LABEL_PREFIX, "");
  const beforeColon = unlabelled.split(":")[0] ?? "";
  const keys = lines.length === 1 ? [departmentKey(unlabelled), departmentKey(beforeColon)] : [departmentKey(raw)];
  return [...new Set(keys)].filter((key) => key.length > 0);
}

export function mapPrimaryAnswer(raw: string): DepartmentMapping<PrimaryDepartment> {
  const keys = candidateKeys(raw);
  if (keys.length === 0) return { ok: false, reason: "empty answer", raw };
  for (const key of keys) {
    const department = PRIMARY_INDEX.get(key);
    if (department) return { ok: true, department, raw };
  }
  for (const key of keys) {
    if (NONE_ANSWERS.has(key)) {
      return { ok: false, reason: "answered None, but a primary department is required", raw };
    }
    const secondary = SECONDARY_INDEX.get(key);
    if (secondary) {
      return {
        ok: false,
        reason: `"${secondary}" is a secondary department (of ${primaryOfSecondary(secondary)}), not a primary one`,
        raw,
      };
    }
  }
  return { ok: false, reason: `answer does not name one of the ${PRIMARY_DEPARTMENTS.length} primary departments`, raw };
}

export function mapSecondaryAnswer(primary: PrimaryDepartment, raw: string): DepartmentMapping<SecondaryDepartment | null> {
  const keys = candidateKeys(raw);
  if (keys.length === 0) return { ok: false, reason: "empty answer", raw };
  const allowed: readonly string[] = DEPARTMENT_TREE[primary];
  for (const key of keys) {
    if (NONE_ANSWERS.has(key)) return { ok: true, department: null, raw };
    const secondary = SECONDARY_INDEX.get(key);
    if (secondary && allowed.includes(secondary)) return { ok: true, department: secondary, raw };
  }
  for (const key of keys) {
    const secondary = SECONDARY_INDEX.get(key);
    if (secondary) {
      return {
        ok: false,
        reason: `"${secondary}" belongs to ${primaryOfSecondary(secondary)}, not to ${primary}`,
        raw,
      };
    }
    const otherPrimary = PRIMARY_INDEX.get(key);
    if (otherPrimary) {
      return { ok: false, reason: `"${otherPrimary}" is a primary department, not a secondary of ${primary}`, raw };
    }
  }
  return { ok: false, reason: `answer does not name a secondary department of ${primary} or None`, raw };
}
