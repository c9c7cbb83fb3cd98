import type pg from "pg";

/**
 * Writes a synthesis run of `texts` source texts (two instructions each) straight into the run
 * tables with set-based SQL, shaped like the paper's run: ~78% of texts keep one instruction, ~15%
 * none (both mention details), ~7% fail (judgement or a later stage); ~6% of kept ones are complex;
 * departments skewed as in FineMed (Internal Medicine first); real-looking clinical text for FTS.
 * Deterministic: the session's random() is seeded.
 */

const CONDITIONS = [
  "type 2 diabetes",
  "essential hypertension",
  "asthma",
  "chronic kidney disease",
  "atrial fibrillation",
  "heart failure",
  "rheumatoid arthritis",
  "migraine",
  "iron deficiency anemia",
  "hepatitis B",
  "acute appendicitis",
  "cholelithiasis",
  "nephrolithiasis",
  "breast cancer",
  "thyroid nodules",
  "preeclampsia",
  "endometriosis",
  "otitis media",
  "glaucoma",
  "periodontitis",
  "psoriasis",
  "ischemic stroke",
  "postoperative pain",
  "knee osteoarthritis",
  "community-acquired pneumonia",
  "sepsis",
  "COPD",
  "epilepsy",
  "systemic lupus erythematosus",
  "gout",
  "celiac disease",
  "Crohn's disease",
  "pancreatitis",
  "osteoporosis",
  "hypothyroidism",
  "melanoma",
  "cataract",
  "tonsillitis",
  "burn injury",
  "scoliosis",
];
const TREATMENTS = [
  "metformin",
  "insulin therapy",
  "ACE inhibitors",
  "beta blockers",
  "inhaled corticosteroids",
  "anticoagulation",
  "laparoscopic surgery",
  "physical therapy",
  "antibiotic therapy",
  "chemotherapy",
  "radiotherapy",
  "acupuncture",
  "levothyroxine",
  "statins",
  "NSAIDs",
  "regional anesthesia",
  "biologic agents",
  "lifestyle modification",
];
const OUTCOMES = [
  "mortality",
  "readmission",
  "glycemic control",
  "quality of life",
  "recurrence",
  "complication rates",
  "functional recovery",
  "pain scores",
];
const QUESTIONS = [
  "What is the first-line management of %1$s in adults, and when is %2$s preferred?",
  "How does %2$s change %3$s in patients with %1$s?",
  "Which findings distinguish %1$s from its common mimics, and how do they guide %2$s?",
  "What are the main risks of %2$s for patients with %1$s and how are they monitored?",
  "Why might %2$s fail to improve %3$s in %1$s, and what alternatives exist?",
  "How should %1$s be evaluated before starting %2$s?",
];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]`;
// 1-based pick from an array by a fraction in [0, 1).
const pick = (values: readonly string[], fraction: string) => `(${sqlArray(values)})[1 + floor((${fraction}) * ${values.length})::int]`;

export interface GeneratedRun {
  runId: string;
  corpusId: string;
  texts: number;
  instructions: number;
}

export async function generateCurationRun(
  client: pg.Client,
  texts: number,
  log: (step: string, ms: number) => void,
): Promise<GeneratedRun> {
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    await client.query(sql, params);
    log(name, performance.now() - started);
  };
  await client.query("SET synchronous_commit = off");
  await client.query("SET work_mem = '256MB'");
  await client.query("SELECT setseed(0.42)");
  const ids = await client.query<{ corpus: string; import: string; run: string }>(
    "SELECT gen_random_uuid() AS corpus, gen_random_uuid() AS import, gen_random_uuid() AS run",
  );
  const { corpus, import: importId, run } = ids.rows[0]!;
  await client.query(`INSERT INTO corpora (id, name) VALUES ($1, 'bench-curation')`, [corpus]);
  await client.query(
    `INSERT INTO imports (id, corpus_id, created_by, file_name, format, text_field, status, imported_count) VALUES ($1, $2, 'bench', 'generated', 'jsonl', 'text', 'completed', $3)`,
    [importId, corpus, texts],
  );
  await client.query(
    `INSERT INTO runs (id, name, corpus_id, status, config, seed, tier_threshold, text_count, batch_count, simulated, created_by)
     VALUES ($1, 'bench 1M', $2, 'completed', '{}', 'bench', 8, $3, 1, true, 'bench')`,
    [run, corpus, texts],
  );

  // One row per text with every random decision, so the tables below agree with each other.
  await step(
    "plan",
    `CREATE TEMP TABLE plan AS
     SELECT g, u, 1 + (random() < 0.5)::int AS kept_pos, random() AS c, random() AS t, random() AS o,
            4 + floor(random() * 3 + random() * 3)::int AS q1, 4 + floor(random() * 3 + random() * 3)::int AS q2,
            2 + floor(random() * 4 + random() * 4)::int AS d1, 2 + floor(random() * 4 + random() * 4)::int AS d2,
            2 + floor(random() * 2.5 + random() * 2.5)::int AS r1, 2 + floor(random() * 2.5 + random() * 2.5)::int AS r2,
            (random() * 1.5 + random() * 1.5 + random() * 1.5 - 1.6) AS w1, (random() * 1.5 + random() * 1.5 + random() * 1.5 - 1.6) AS w2,
            random() AS pr, random() AS sr, random() AS raw
       FROM (SELECT g, random() AS u FROM generate_series(1, $1::int) g) x`,
    [texts],
  );
  await step(
    "plan outcomes",
    `CREATE TEMP TABLE outcome AS
     SELECT p.*,
            CASE WHEN u < 0.78 THEN 'kept' WHEN u < 0.93 THEN 'none_kept' ELSE 'failed' END AS outcome,
            CASE WHEN u >= 0.96 THEN 'judgement' WHEN u >= 0.93 THEN (ARRAY['common-answers','reward','complex-reasoning','classification-primary'])[1 + floor((u - 0.93) / 0.0075)::int] END AS failed_stage,
            CASE WHEN u < 0.78 THEN (CASE WHEN kept_pos = 1 THEN d1 ELSE d2 END) >= 8 END AS complex,
            CASE WHEN pr < 0.38 THEN 1 WHEN pr < 0.655 THEN 2 WHEN pr < 0.745 THEN 3 WHEN pr < 0.82 THEN 4 WHEN pr < 0.89 THEN 5 ELSE 6 END AS primary_order
       FROM plan p`,
  );
  await client.query(
    "CREATE TEMP TABLE secondary_pick AS SELECT d.parent_id, row_number() OVER (PARTITION BY d.parent_id ORDER BY d.sort_order) AS n, d.name, count(*) OVER (PARTITION BY d.parent_id) AS siblings FROM departments d WHERE d.level = 'secondary'",
  );
  await client.query("ANALYZE outcome");

  const sentence = (text: string) => {
    const n = `(${text})::bigint`;
    return `format('In a cohort of %s patients with %s, %s was associated with changes in %s. ', 40 + (${n} % 900), ${pick(CONDITIONS, `((${n} * 7919) % 1000) / 1000.0`)}, ${pick(TREATMENTS, `((${n} * 104729) % 1000) / 1000.0`)}, ${pick(OUTCOMES, `((${n} * 15485863) % 1000) / 1000.0`)})`;
  };
  await step(
    "source_texts",
    `INSERT INTO source_texts (id, corpus_id, import_id, external_id, text, content_hash, length)
     SELECT g, $1, $2, 'bench-' || g, s, md5(g::text) || md5((g + 1)::text), length(s)
       FROM (SELECT g, ${sentence("g")} || ${sentence("(g + 17)")} || ${sentence("(g + 131)")} || 'Follow-up lasted ' || (3 + g % 36) || ' months.' AS s
               FROM generate_series(1, $3::int) g) x`,
    [corpus, importId, texts],
  );
  const condition = (fraction: string) => pick(CONDITIONS, fraction);
  const treatment = (fraction: string) => pick(TREATMENTS, fraction);
  await step(
    "instructions",
    `INSERT INTO instructions (id, run_id, source_text_id, position, text, prompt_template_id, call_key, model)
     SELECT 2 * o.g - 2 + pos, $1, o.g, pos,
            format((${sqlArray(QUESTIONS)})[1 + ((o.g * 31 + pos) % ${QUESTIONS.length})], ${condition("CASE WHEN pos = 1 THEN o.c ELSE o.t END")}, ${treatment("CASE WHEN pos = 1 THEN o.t ELSE o.o END")}, ${pick(OUTCOMES, "o.o")}),
            '00000000-0000-4000-8000-000000000004', md5('gen' || o.g) || md5('gen2' || o.g), 'Qwen2.5-72B-Instruct'
       FROM outcome o CROSS JOIN generate_series(1, 2) pos`,
    [run],
  );
  await step(
    "judgements",
    `INSERT INTO judgements (instruction_id, run_id, quality, difficulty, relevance, mentions_details, valid, failure_reason, raw_output, prompt_template_id, call_key, model, attempts)
     SELECT 2 * o.g - 2 + pos, $1,
            CASE WHEN bad THEN NULL WHEN pos = 1 THEN o.q1 ELSE o.q2 END, CASE WHEN bad THEN NULL WHEN pos = 1 THEN o.d1 ELSE o.d2 END,
            CASE WHEN bad THEN NULL WHEN pos = 1 THEN o.r1 ELSE o.r2 END,
            CASE WHEN bad THEN NULL WHEN o.outcome = 'none_kept' THEN true WHEN o.outcome = 'kept' THEN pos <> o.kept_pos AND o.raw < 0.3 ELSE false END,
            NOT bad, CASE WHEN bad THEN 'quality out of range' END, '{"quality": 7}', '00000000-0000-4000-8000-000000000005',
            md5('judge' || o.g || pos) || md5('j' || o.g || pos), 'Qwen2.5-72B-Instruct', 1
       FROM outcome o CROSS JOIN generate_series(1, 2) pos CROSS JOIN LATERAL (SELECT coalesce(o.failed_stage = 'judgement', false) AND pos = 2 AS bad) b`,
    [run],
  );
  await step(
    "run_texts",
    `INSERT INTO run_texts (run_id, source_text_id, batch, outcome, kept_instruction_id, selection_rule, selection_seed, tier, failed_stage, failure_reason, finished_at)
     SELECT $1, o.g, o.g / 500, o.outcome::run_text_outcome, CASE WHEN o.outcome = 'kept' THEN 2 * o.g - 2 + o.kept_pos END,
            CASE WHEN o.outcome = 'none_kept' THEN 'both-details' WHEN o.failed_stage = 'judgement' THEN NULL ELSE 'sum' END, 'bench:' || o.g,
            CASE WHEN o.outcome = 'kept' THEN CASE WHEN o.complex THEN 'complex' ELSE 'common' END END,
            o.failed_stage, CASE WHEN o.failed_stage IS NOT NULL THEN 'the model output stayed invalid after retries' END, now()
       FROM outcome o`,
    [run],
  );
  const answer = (kind: string) =>
    `format('%s Management of %s usually starts with %s; evidence from randomized trials shows benefits for %s, while adverse effects require monitoring of renal function and blood pressure. %s',
            ${kind}, ${condition("o.c")}, ${treatment("o.t")}, ${pick(OUTCOMES, "o.o")}, 'Patients should be reassessed at follow-up and referred when red flags appear.')`;
  await step(
    "responses",
    `INSERT INTO responses (id, instruction_id, run_id, kind, text, thought, summarization, reward_score, chosen, raw_output, prompt_template_id, call_key, reward_call_key, model)
     SELECT 2 * o.g - 2 + k.n, 2 * o.g - 2 + o.kept_pos, $1, k.kind, k.body, k.thought, k.summary, k.reward, k.chosen, '', '00000000-0000-4000-8000-000000000006',
            md5('resp' || o.g || k.n) || md5('r' || o.g), CASE WHEN NOT o.complex THEN md5('rw' || o.g) || md5('rw2' || o.g) END,
            CASE WHEN o.complex AND k.n = 1 THEN 'QwQ-32B-Preview' ELSE 'Qwen2.5-72B-Instruct' END
       FROM outcome o
       CROSS JOIN LATERAL (VALUES
         (1, CASE WHEN o.complex THEN 'reasoning' ELSE 'answer1' END,
             CASE WHEN o.complex THEN '**Thought** ' || ${answer("'Step by step:'")} || ' **Summarization** ' || ${answer("'In short:'")} ELSE ${answer("'Answer:'")} END,
             CASE WHEN o.complex THEN ${answer("'Step by step:'")} END, CASE WHEN o.complex THEN ${answer("'In short:'")} END,
             CASE WHEN NOT o.complex THEN o.w1 END, o.complex OR o.w1 >= o.w2),
         (2, CASE WHEN o.complex THEN 'direct' ELSE 'answer2' END, ${answer("'Briefly:'")}, NULL, NULL,
             CASE WHEN NOT o.complex THEN o.w2 END, NOT o.complex AND o.w2 > o.w1)
       ) AS k(n, kind, body, thought, summary, reward, chosen)
      WHERE o.outcome = 'kept'`,
    [run],
  );
  await step(
    "dpo_pairs",
    `INSERT INTO dpo_pairs (instruction_id, run_id, prompt, chosen_response_id, rejected_response_id)
     SELECT 2 * o.g - 2 + o.kept_pos, $1, 'prompt', 2 * o.g - 1, 2 * o.g FROM outcome o WHERE o.outcome = 'kept' AND o.complex`,
    [run],
  );
  await step(
    "department_labels",
    `INSERT INTO department_labels (id, instruction_id, run_id, level, department, raw_answer, prompt_template_id, call_key, model)
     SELECT 2 * o.g - 2 + l.n, 2 * o.g - 2 + o.kept_pos, $1, l.level, l.department,
            CASE WHEN o.raw < 0.05 THEN coalesce(l.department, 'None') || '.' WHEN o.raw < 0.07 THEN '**' || coalesce(l.department, 'None') || '**' ELSE coalesce(l.department, 'None') END,
            '00000000-0000-4000-8000-000000000007', md5('cls' || o.g || l.n) || md5('c' || o.g), 'Qwen2.5-72B-Instruct'
       FROM outcome o
       JOIN departments p ON p.level = 'primary' AND p.sort_order = o.primary_order
       LEFT JOIN secondary_pick s ON s.parent_id = p.id AND s.n = 1 + floor(o.sr * 1.08 * s.siblings)::int
       CROSS JOIN LATERAL (VALUES (1, 'primary', p.name), (2, 'secondary', s.name)) AS l(n, level, department)
      WHERE o.outcome = 'kept'`,
    [run],
  );
  await step(
    "sequences",
    `SELECT setval(pg_get_serial_sequence('source_texts', 'id'), (SELECT max(id) FROM source_texts)),
            setval(pg_get_serial_sequence('instructions', 'id'), (SELECT max(id) FROM instructions)),
            setval(pg_get_serial_sequence('responses', 'id'), (SELECT max(id) FROM responses)),
            setval(pg_get_serial_sequence('department_labels', 'id'), (SELECT max(id) FROM department_labels))`,
  );
  await step("analyze run tables", "ANALYZE source_texts, instructions, judgements, run_texts, responses, dpo_pairs, department_labels");
  await client.query("DROP TABLE plan, outcome, secondary_pick");
  return { runId: run, corpusId: corpus, texts, instructions: texts * 2 };
}
