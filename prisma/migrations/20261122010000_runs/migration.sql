-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('queued', 'running', 'paused', 'cancelled', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "run_text_outcome" AS ENUM ('pending', 'kept', 'none_kept', 'failed');

-- CreateTable
CREATE TABLE "prompt_templates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "role" VARCHAR(32) NOT NULL,
    "template" TEXT NOT NULL,
    "checksum" CHAR(64) NOT NULL,
    "source" TEXT NOT NULL,
    "derived_from_id" UUID,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "corpus_id" UUID NOT NULL,
    "status" "run_status" NOT NULL DEFAULT 'queued',
    "config" JSONB NOT NULL,
    "seed" TEXT NOT NULL,
    "tier_threshold" INTEGER NOT NULL,
    "text_count" INTEGER NOT NULL DEFAULT 0,
    "batch_count" INTEGER NOT NULL DEFAULT 0,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_prompts" (
    "run_id" UUID NOT NULL,
    "prompt_template_id" UUID NOT NULL,

    CONSTRAINT "run_prompts_pkey" PRIMARY KEY ("run_id","prompt_template_id")
);

-- CreateTable
CREATE TABLE "run_texts" (
    "run_id" UUID NOT NULL,
    "source_text_id" BIGINT NOT NULL,
    "batch" INTEGER NOT NULL,
    "outcome" "run_text_outcome" NOT NULL DEFAULT 'pending',
    "kept_instruction_id" BIGINT,
    "selection_rule" VARCHAR(32),
    "selection_seed" TEXT,
    "selection_draw" BIGINT,
    "tier" VARCHAR(16),
    "failed_stage" VARCHAR(32),
    "failure_reason" TEXT,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_texts_pkey" PRIMARY KEY ("run_id","source_text_id")
);

-- CreateTable
CREATE TABLE "run_stage_stats" (
    "run_id" UUID NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "calls_made" INTEGER NOT NULL DEFAULT 0,
    "calls_reused" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "tokens_saved" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_total" BIGINT NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "run_stage_stats_pkey" PRIMARY KEY ("run_id","stage")
);

-- CreateTable
CREATE TABLE "backend_calls" (
    "key" CHAR(64) NOT NULL,
    "role" VARCHAR(32) NOT NULL,
    "base_url" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "response" JSONB NOT NULL,
    "prompt_tokens" INTEGER NOT NULL,
    "completion_tokens" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "first_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backend_calls_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "instructions" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "source_text_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "prompt_template_id" UUID NOT NULL,
    "call_key" CHAR(64) NOT NULL,
    "model" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instructions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "judgements" (
    "instruction_id" BIGINT NOT NULL,
    "run_id" UUID NOT NULL,
    "quality" INTEGER,
    "difficulty" INTEGER,
    "relevance" INTEGER,
    "mentions_details" BOOLEAN,
    "valid" BOOLEAN NOT NULL,
    "failure_reason" TEXT,
    "raw_output" TEXT NOT NULL,
    "prompt_template_id" UUID NOT NULL,
    "call_key" CHAR(64) NOT NULL,
    "model" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judgements_pkey" PRIMARY KEY ("instruction_id")
);

-- CreateTable
CREATE TABLE "responses" (
    "id" BIGSERIAL NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "run_id" UUID NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "text" TEXT NOT NULL,
    "thought" TEXT,
    "summarization" TEXT,
    "reward_score" DOUBLE PRECISION,
    "chosen" BOOLEAN NOT NULL DEFAULT false,
    "raw_output" TEXT NOT NULL,
    "prompt_template_id" UUID NOT NULL,
    "call_key" CHAR(64) NOT NULL,
    "reward_call_key" CHAR(64),
    "model" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dpo_pairs" (
    "instruction_id" BIGINT NOT NULL,
    "run_id" UUID NOT NULL,
    "prompt" TEXT NOT NULL,
    "chosen_response_id" BIGINT NOT NULL,
    "rejected_response_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dpo_pairs_pkey" PRIMARY KEY ("instruction_id")
);

-- CreateTable
CREATE TABLE "department_labels" (
    "id" BIGSERIAL NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "run_id" UUID NOT NULL,
    "level" VARCHAR(16) NOT NULL,
    "department" TEXT,
    "raw_answer" TEXT NOT NULL,
    "prompt_template_id" UUID NOT NULL,
    "call_key" CHAR(64) NOT NULL,
    "model" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "department_labels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_failures" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "source_text_id" BIGINT NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "reason" TEXT NOT NULL,
    "raw_output" TEXT,
    "call_key" CHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_failures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "prompt_templates_key_version_key" ON "prompt_templates"("key", "version");

-- CreateIndex
CREATE INDEX "runs_created_at_idx" ON "runs"("created_at");

-- CreateIndex
CREATE INDEX "run_texts_run_id_batch_idx" ON "run_texts"("run_id", "batch");

-- CreateIndex
CREATE INDEX "run_texts_run_id_outcome_idx" ON "run_texts"("run_id", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "instructions_run_id_source_text_id_position_key" ON "instructions"("run_id", "source_text_id", "position");

-- CreateIndex
CREATE INDEX "judgements_run_id_idx" ON "judgements"("run_id");

-- CreateIndex
CREATE INDEX "responses_run_id_idx" ON "responses"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "responses_instruction_id_kind_key" ON "responses"("instruction_id", "kind");

-- CreateIndex
CREATE INDEX "dpo_pairs_run_id_idx" ON "dpo_pairs"("run_id");

-- CreateIndex
CREATE INDEX "department_labels_run_id_level_department_idx" ON "department_labels"("run_id", "level", "department");

-- CreateIndex
CREATE UNIQUE INDEX "department_labels_instruction_id_level_key" ON "department_labels"("instruction_id", "level");

-- CreateIndex
CREATE INDEX "run_failures_run_id_stage_idx" ON "run_failures"("run_id", "stage");

-- AddForeignKey
ALTER TABLE "prompt_templates" ADD CONSTRAINT "prompt_templates_derived_from_id_fkey" FOREIGN KEY ("derived_from_id") REFERENCES "prompt_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_corpus_id_fkey" FOREIGN KEY ("corpus_id") REFERENCES "corpora"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_prompts" ADD CONSTRAINT "run_prompts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_prompts" ADD CONSTRAINT "run_prompts_prompt_template_id_fkey" FOREIGN KEY ("prompt_template_id") REFERENCES "prompt_templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_texts" ADD CONSTRAINT "run_texts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_stage_stats" ADD CONSTRAINT "run_stage_stats_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

