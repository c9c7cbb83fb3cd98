import type pg from "pg";

/**
 * Writes an export-shaped run straight into the run tables and `samples`, set-based: `common` kept
 * instructions with a chosen answer and `complex` ones with long-form reasoning, a direct answer and a
 * DPO pair, labelled across the paper's departments (Internal Medicine ~38%, a share of it
 * Endocrinology). Texts are a few hundred characters, like the simulator's; no source texts or
 * documents, since an export reads neither. Deterministic: the session's random() is seeded.
 */
export async function generateExportRun(client: pg.Client, common: number, complex: number): Promise<{ runId: string }> {
  await client.query("SET synchronous_commit = off");
  await client.query("SELECT setseed(0.6)");
  const ids = await client.query<{ corpus: string; run: string }>("SELECT gen_random_uuid() AS corpus, gen_random_uuid() AS run");
  const { corpus, run } = ids.rows[0]!;
  const total = common + complex;
  await client.query(`INSERT INTO corpora (id, name) VALUES ($1, 'bench-export')`, [corpus]);
  await client.query(
    `INSERT INTO runs (id, name, corpus_id, status, config, seed, tier_threshold, text_count, batch_count, simulated, created_by)
     VALUES ($1, 'bench export', $2, 'completed', '{"roles": {"generator": {"model": "Qwen2.5-72B-Instruct"}, "reasoner": {"model": "QwQ-32B-Preview"}}}', 'bench', 8, $3, 1, true, 'bench')`,
    [run, corpus, total],
  );
  await client.query(
    `CREATE TEMP TABLE plan AS
     SELECT g, g > $1 AS complex, random() AS pr, random() AS sr FROM generate_series(1, $2::int) g`,
    [common, total],
  );
  await client.query(
    `INSERT INTO instructions (id, run_id, source_text_id, position, text, prompt_template_id, call_key, model)
     SELECT g, $1::uuid, g, 1, format('Question %s: how should a patient with condition %s and comorbidity %s be evaluated and treated, and which findings change the plan?', g, g % 977, g % 131),
            '00000000-0000-4000-8000-000000000004', md5('i' || g) || md5('j' || g), 'Qwen2.5-72B-Instruct' FROM plan`,
    [run],
  );
  const body = (label: string) =>
    `format('%s For case %s the first step is a focused history and examination, then targeted tests; treatment follows guideline %s with monitoring of renal function, blood pressure and adverse effects. Patients are reassessed at follow-up and referred when red flags appear.', ${label}, g, g % 53)`;
  await client.query(
    `INSERT INTO responses (id, instruction_id, run_id, kind, text, thought, summarization, reward_score, chosen, raw_output, prompt_template_id, call_key, model)
     SELECT 2 * g - 1, g, $1::uuid, CASE WHEN complex THEN 'reasoning' ELSE 'answer1' END,
            CASE WHEN complex THEN '**Thought** ' || ${body("'Step by step:'")} || ' **Summarization** ' || ${body("'In short:'")} ELSE ${body("'Answer:'")} END,
            CASE WHEN complex THEN ${body("'Step by step:'")} END, CASE WHEN complex THEN ${body("'In short:'")} END,
            CASE WHEN NOT complex THEN 1.0 END, true, '', '00000000-0000-4000-8000-000000000006'::uuid, md5('r' || g) || md5('s' || g),
            CASE WHEN complex THEN 'QwQ-32B-Preview' ELSE 'Qwen2.5-72B-Instruct' END
       FROM plan
     UNION ALL
     SELECT 2 * g, g, $1::uuid, 'direct', ${body("'Briefly:'")}, NULL, NULL, NULL, false, '', '00000000-0000-4000-8000-000000000006'::uuid, md5('d' || g) || md5('e' || g), 'Qwen2.5-72B-Instruct'
       FROM plan WHERE complex`,
    [run],
  );
  await client.query(
    `INSERT INTO dpo_pairs (instruction_id, run_id, prompt, chosen_response_id, rejected_response_id)
     SELECT g, $1::uuid, 'prompt', 2 * g - 1, 2 * g FROM plan WHERE complex`,
    [run],
  );
  await client.query(
    `INSERT INTO samples (instruction_id, source_text_id, chosen_response_id, run_id, status, tier, position, quality, difficulty, relevance,
                          model_primary_id, model_secondary_id, primary_id, secondary_id, judgement_valid, has_dpo_pair)
     SELECT g, g, 2 * g - 1, $1::uuid, 'kept', CASE WHEN complex THEN 'complex' ELSE 'common' END::sample_tier, 1, 7, CASE WHEN complex THEN 9 ELSE 5 END, 5,
            p.id, s.id, p.id, s.id, true, complex
       FROM plan
       JOIN departments p ON p.level = 'primary' AND p.sort_order = CASE WHEN pr < 0.38 THEN 1 WHEN pr < 0.655 THEN 2 WHEN pr < 0.745 THEN 3 WHEN pr < 0.82 THEN 4 WHEN pr < 0.89 THEN 5 ELSE 6 END
       LEFT JOIN LATERAL (SELECT d.id FROM departments d WHERE d.parent_id = p.id ORDER BY d.sort_order
                           OFFSET floor(sr * (SELECT count(*) FROM departments c WHERE c.parent_id = p.id))::int LIMIT 1) s ON true`,
    [run],
  );
  await client.query(
    `SELECT setval(pg_get_serial_sequence('instructions', 'id'), (SELECT max(id) FROM instructions)),
            setval(pg_get_serial_sequence('responses', 'id'), (SELECT max(id) FROM responses))`,
  );
  await client.query("DROP TABLE plan");
  await client.query("VACUUM ANALYZE instructions, responses, dpo_pairs, samples");
  return { runId: run };
}
