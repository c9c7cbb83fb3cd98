// The simulator keeps its own copy of the paper's taxonomy (Appendix C/D) so it stays independent of
// lib/pipeline; the keyword lists stand in for a model's medical judgement when it labels a dialogue.

export type PrimaryDepartment =
  "Internal Medicine" | "Surgery" | "Obstetrics and Gynecology" | "Pediatrics" | "Otorhinolaryngology" | "Other Departments";

export const PRIMARY_DEPARTMENTS: readonly PrimaryDepartment[] = [
  "Internal Medicine",
  "Surgery",
  "Obstetrics and Gynecology",
  "Pediatrics",
  "Otorhinolaryngology",
  "Other Departments",
];

interface SecondaryDepartment {
  name: string;
  keywords: readonly string[];
}

export const SECONDARY_DEPARTMENTS: Readonly<Record<PrimaryDepartment, readonly SecondaryDepartment[]>> = {
  "Internal Medicine": [
    {
      name: "Respiratory and Critical Care Medicine",
      keywords: [
        "asthma",
        "pneumonia",
        "copd",
        "lung",
        "respiratory",
        "breath",
        "bronch",
        "sepsis",
        "ventilat",
        "cough",
        "pulmonary",
        "airway",
        "inhal",
        "spirometr",
        "embol",
        "septic",
        "oxygen",
        "respiratory distress",
      ],
    },
    {
      name: "Cardiology",
      keywords: [
        "heart",
        "cardiac",
        "hypertension",
        "blood pressure",
        "coronary",
        "arrhythm",
        "atrial",
        "myocard",
        "cholesterol",
        "statin",
        "angina",
        "echocardiog",
        "valvular",
        "ejection fraction",
      ],
    },
    {
      name: "Endocrinology",
      keywords: [
        "insulin",
        "diabet",
        "thyroid",
        "glucose",
        "hormone",
        "metabolic",
        "obesity",
        "cortisol",
        "adrenal",
        "pituitary",
        "hyperthyroid",
        "hypothyroid",
        "graves",
      ],
    },
    {
      name: "Gastroenterology",
      keywords: [
        "stomach",
        "gastric",
        "hepatitis",
        "liver",
        "bowel",
        "ulcer",
        "colitis",
        "diarrh",
        "digestive",
        "reflux",
        "crohn",
        "gastrointestinal",
        "endoscop",
        "hepat",
      ],
    },
    {
      name: "Hematology",
      keywords: [
        "anemia",
        "anaemia",
        "leukemia",
        "lymphoma",
        "platelet",
        "hemoglobin",
        "coagul",
        "clotting",
        "marrow",
        "myeloma",
        "myeloid",
        "leukaem",
        "thrombocyt",
      ],
    },
    {
      name: "Nephrology",
      keywords: ["kidney", "renal", "nephr", "dialysis", "uremia", "proteinuria", "potassium", "hyperkal", "electrolyte"],
    },
    {
      name: "Rheumatology and Immunology",
      keywords: [
        "rheumat",
        "lupus",
        "autoimmun",
        "gout",
        "immun",
        "vasculitis",
        "spondyl",
        "arthritis",
        "arteritis",
        "anaphyla",
        "allerg",
        "epinephrine",
        "urate",
      ],
    },
    {
      name: "Neurology",
      keywords: [
        "stroke",
        "epilep",
        "seizure",
        "parkinson",
        "migraine",
        "dementia",
        "alzheimer",
        "neuropath",
        "multiple sclerosis",
        "neurolog",
        "headache",
      ],
    },
  ],
  Surgery: [
    {
      name: "Gastrointestinal Surgery",
      keywords: [
        "intestinal obstruction",
        "colectomy",
        "appendic",
        "hernia",
        "gastrectomy",
        "colorectal",
        "stomach cancer",
        "bowel obstruction",
        "bariatric",
        "volvulus",
      ],
    },
    {
      name: "Hepatobiliary Surgery",
      keywords: [
        "gallbladder",
        "cholecyst",
        "gallstone",
        "pancrea",
        "biliary",
        "liver cancer",
        "transplant",
        "cholangi",
        "hepatocellular",
        "liver resection",
      ],
    },
    { name: "Urology", keywords: ["prostat", "bladder", "kidney stone", "urinary", "urethr", "testic", "testes", "erectile"] },
    {
      name: "Cardiovascular Surgery",
      keywords: ["bypass", "heart valve", "valve replacement", "aortic", "aneurysm", "grafting", "cardiac surgery"],
    },
    { name: "Thoracic Surgery", keywords: ["lung cancer", "esophag", "thoracic", "lobectomy", "pleura", "empyema"] },
    {
      name: "Orthopedic Surgery",
      keywords: [
        "fracture",
        "bone",
        "joint",
        "spine",
        "herniated disc",
        "knee",
        "hip",
        "osteopor",
        "ligament",
        "arthroplasty",
        "tendon",
        "rotator",
        "cruciate",
        "compartment",
        "casts",
      ],
    },
    {
      name: "Neurosurgery",
      keywords: [
        "brain tumor",
        "cerebral hemorrhage",
        "craniotomy",
        "spinal stenosis",
        "hydroceph",
        "subdural",
        "extradural",
        "glioma",
        "gliobl",
        "cauda equina",
        "equina",
      ],
    },
    {
      name: "Burns and Plastic Surgery",
      keywords: ["burn", "scar", "plastic surgery", "reconstruct", "skin graft", "graft", "flap", "keloid", "cleft", "wound"],
    },
    {
      name: "Thyroid Surgery",
      keywords: ["thyroidectomy", "thyroid nodule", "goiter", "thyroid tumor", "nodule", "thyroid cancer", "thyroid carcinoma"],
    },
    { name: "Breast Surgery", keywords: ["breast", "mastectomy", "lumpectomy", "axilla", "sentinel"] },
  ],
  "Obstetrics and Gynecology": [
    {
      name: "Gynecology",
      keywords: [
        "menstrua",
        "uterine",
        "uterus",
        "ovary",
        "ovari",
        "endometrio",
        "infertil",
        "cervical",
        "menopaus",
        "pcos",
        "vagin",
        "pelvic",
      ],
    },
    {
      name: "Obstetrics",
      keywords: [
        "pregnan",
        "prenatal",
        "childbirth",
        "postpartum",
        "fetal",
        "fetus",
        "gestation",
        "cesarean",
        "preeclampsia",
        "labor and delivery",
        "preterm",
        "antenatal",
        "labour",
        "birth",
      ],
    },
  ],
  Pediatrics: [
    { name: "Pediatric Internal Medicine", keywords: ["fever", "cold", "asthma", "diarrh", "vaccin", "growth", "colic", "rsv", "otitis"] },
    { name: "Pediatric Surgery", keywords: ["fracture", "hernia", "congenital", "surgery", "surgical", "pyloric", "intussusception"] },
  ],
  Otorhinolaryngology: [
    {
      name: "Otorhinolaryngology (ENT)",
      keywords: ["ear", "hearing", "tinnitus", "nasal", "sinus", "throat", "tonsil", "laryn", "vertigo", "otitis", "cochlea"],
    },
    {
      name: "Ophthalmology",
      keywords: ["eye", "vision", "retina", "glaucoma", "cataract", "macular", "cornea", "myopia", "intraocular", "ocular"],
    },
    {
      name: "Dentistry (Oral Medicine)",
      keywords: [
        "tooth",
        "teeth",
        "dental",
        "gum",
        "periodont",
        "oral",
        "caries",
        "mouth ulcer",
        "pulp",
        "root canal",
        "stomatitis",
        "aphthous",
      ],
    },
  ],
  "Other Departments": [
    {
      name: "Dermatology and Venereology",
      keywords: [
        "skin",
        "rash",
        "eczema",
        "psoriasis",
        "acne",
        "dermat",
        "sexually transmitted",
        "syphilis",
        "melanoma",
        "gonorrh",
        "chlamydia",
      ],
    },
    {
      name: "Rehabilitation Medicine",
      keywords: [
        "rehabilitat",
        "physiotherap",
        "physical therapy",
        "sports injur",
        "mobility",
        "exercise training",
        "cardiac rehabilitat",
        "pulmonary rehabilitat",
      ],
    },
    {
      name: "Anesthesiology",
      keywords: ["anesthe", "anaesthe", "sedation", "intubation", "hyperthermia", "airway management", "neuromuscular block"],
    },
    {
      name: "Traditional Chinese Medicine (TCM)",
      keywords: ["acupunct", "herbal", "traditional chinese", "tui na", "moxibustion", "tcm", "tongue", "pulse diagnosis", "yin", "yang"],
    },
  ],
};

const PEDIATRIC_CUES = [
  "child",
  "infant",
  "pediatric",
  "paediatric",
  "newborn",
  "neonat",
  "toddler",
  "baby",
  "babies",
  "measles",
  "pyloric",
  "intussusception",
  "hirschsprung",
  "atresia",
  "malrotation",
  "febrile",
];
const SURGICAL_CUES = ["surgery", "surgical", "operation", "resection", "ectomy", "operative"];

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

// Keywords are word prefixes ("diabet" matches "diabetic"), anchored at a word start so "ear" does not
// fire inside "heart" or "year". A keyword of four letters or fewer is a whole word (a plural "s" allowed),
// so "ear" does not fire inside "early" nor "gum" inside "gumption".
function countHits(text: string, keywords: readonly string[]): number {
  let hits = 0;
  for (const keyword of keywords) {
    let from = text.indexOf(keyword);
    while (from !== -1) {
      if ((from === 0 || !isLetter(text.charCodeAt(from - 1))) && endsWord(text, from + keyword.length, keyword.length)) hits++;
      from = text.indexOf(keyword, from + keyword.length);
    }
  }
  return hits;
}

function endsWord(text: string, end: number, keywordLength: number): boolean {
  if (keywordLength > 4 || end >= text.length) return true;
  const next = text.charCodeAt(end);
  if (!isLetter(next)) return true;
  return next === 115 && (end + 1 >= text.length || !isLetter(text.charCodeAt(end + 1)));
}

export interface DepartmentVote {
  /** Best secondary department name, or undefined when no keyword matched. */
  secondary: string | undefined;
  hits: number;
}

/** Best secondary department of a group for a lower-cased dialogue; surgical wording favours surgery. */
export function voteWithinGroup(group: PrimaryDepartment, dialogue: string): DepartmentVote {
  let best: DepartmentVote = { secondary: undefined, hits: 0 };
  for (const department of SECONDARY_DEPARTMENTS[group]) {
    const hits = countHits(dialogue, department.keywords);
    if (hits > best.hits) best = { secondary: department.name, hits };
  }
  return best;
}

/** The primary department a careful model would pick, or undefined when nothing medical stands out. */
export function votePrimary(dialogue: string): PrimaryDepartment | undefined {
  if (countHits(dialogue, PEDIATRIC_CUES) > 0) return "Pediatrics";
  // Surgical wording leans a dialogue towards Surgery, and alone still names it ("complications of surgery").
  const surgical = countHits(dialogue, SURGICAL_CUES) > 0;
  let best: PrimaryDepartment | undefined;
  let bestHits = 0;
  for (const group of PRIMARY_DEPARTMENTS) {
    if (group === "Pediatrics") continue;
    const vote = voteWithinGroup(group, dialogue);
    const score = vote.hits + (group === "Surgery" && surgical ? (vote.hits > 0 ? 2 : 1) : 0);
    if (score > bestHits) {
      best = group;
      bestHits = score;
    }
  }
  return best;
}
