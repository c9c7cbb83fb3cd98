-- CreateTable
CREATE TABLE "comparison_datasets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "text_field" TEXT NOT NULL,
    "instruction_count" INTEGER NOT NULL,
    "rejected_count" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comparison_datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comparison_instructions" (
    "id" BIGSERIAL NOT NULL,
    "dataset_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "comparison_instructions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comparison_judgings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "dataset_id" UUID NOT NULL,
    "sample_size" INTEGER NOT NULL,
    "seed" TEXT NOT NULL,
    "prompt_template_id" UUID NOT NULL,
    "judge" JSONB NOT NULL,
    "judge_run_id" UUID,
    "batch_size" INTEGER NOT NULL,
    "batch_count" INTEGER NOT NULL,
    "output_retries" INTEGER NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'running',
    "calls_made" INTEGER NOT NULL DEFAULT 0,
    "calls_reused" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "comparison_judgings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comparison_judgements" (
    "judging_id" UUID NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "batch" INTEGER NOT NULL,
    "quality" SMALLINT,
    "difficulty" SMALLINT,
    "relevance" SMALLINT,
    "mentions_details" BOOLEAN,
    "valid" BOOLEAN,
    "failure_reason" TEXT,
    "raw_output" TEXT,
    "call_key" CHAR(64),
    "model" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "judged_at" TIMESTAMPTZ(3),

    CONSTRAINT "comparison_judgements_pkey" PRIMARY KEY ("judging_id","instruction_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "comparison_datasets_name_key" ON "comparison_datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "comparison_instructions_dataset_id_line_key" ON "comparison_instructions"("dataset_id", "line");

-- CreateIndex
CREATE INDEX "comparison_judgings_dataset_id_created_at_idx" ON "comparison_judgings"("dataset_id", "created_at");

-- CreateIndex
CREATE INDEX "comparison_judgements_judging_id_batch_idx" ON "comparison_judgements"("judging_id", "batch");

-- AddForeignKey
ALTER TABLE "comparison_instructions" ADD CONSTRAINT "comparison_instructions_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "comparison_datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comparison_judgings" ADD CONSTRAINT "comparison_judgings_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "comparison_datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comparison_judgements" ADD CONSTRAINT "comparison_judgements_judging_id_fkey" FOREIGN KEY ("judging_id") REFERENCES "comparison_judgings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

