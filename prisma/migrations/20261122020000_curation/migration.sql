-- CreateEnum
CREATE TYPE "department_level" AS ENUM ('primary', 'secondary');

-- CreateEnum
CREATE TYPE "sample_status" AS ENUM ('kept', 'other_kept', 'none_kept', 'judgement_failed', 'text_failed', 'pending');

-- CreateEnum
CREATE TYPE "sample_tier" AS ENUM ('common', 'complex');

-- CreateTable
CREATE TABLE "departments" (
    "id" SMALLSERIAL NOT NULL,
    "level" "department_level" NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "parent_id" SMALLINT,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "retired_at" TIMESTAMPTZ(3),
    "merged_into_id" SMALLINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "departments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "samples" (
    "instruction_id" BIGINT NOT NULL,
    "source_text_id" BIGINT NOT NULL,
    "chosen_response_id" BIGINT,
    "reward_score" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "run_id" UUID NOT NULL,
    "label_version" INTEGER NOT NULL DEFAULT 0,
    "status" "sample_status" NOT NULL,
    "tier" "sample_tier",
    "position" SMALLINT NOT NULL,
    "quality" SMALLINT,
    "difficulty" SMALLINT,
    "relevance" SMALLINT,
    "model_primary_id" SMALLINT,
    "model_secondary_id" SMALLINT,
    "curated_primary_id" SMALLINT,
    "curated_secondary_id" SMALLINT,
    "primary_id" SMALLINT,
    "secondary_id" SMALLINT,
    "mentions_details" BOOLEAN,
    "judgement_valid" BOOLEAN NOT NULL,
    "label_remapped" BOOLEAN NOT NULL DEFAULT false,
    "has_dpo_pair" BOOLEAN NOT NULL DEFAULT false,
    "failed_stage" VARCHAR(32),

    CONSTRAINT "samples_pkey" PRIMARY KEY ("instruction_id")
);

-- CreateTable
CREATE TABLE "sample_documents" (
    "instruction_id" BIGINT NOT NULL,
    "instruction" TEXT NOT NULL,
    "source_snippet" TEXT NOT NULL,
    "search" tsvector NOT NULL,

    CONSTRAINT "sample_documents_pkey" PRIMARY KEY ("instruction_id")
);

-- CreateTable
CREATE TABLE "bulk_operations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" VARCHAR(16) NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "selection" JSONB NOT NULL,
    "to_primary_id" SMALLINT,
    "to_secondary_id" SMALLINT,
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "undoes_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulk_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "label_changes" (
    "id" BIGSERIAL NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bulk_operation_id" UUID,
    "undoes_change_id" BIGINT,
    "version" INTEGER NOT NULL,
    "from_primary_id" SMALLINT,
    "from_secondary_id" SMALLINT,
    "to_primary_id" SMALLINT,
    "to_secondary_id" SMALLINT,
    "kind" VARCHAR(16) NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "label_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "departments_level_name_key" ON "departments"("level", "name");

-- CreateIndex
CREATE INDEX "samples_run_id_source_text_id_idx" ON "samples"("run_id", "source_text_id");

-- CreateIndex
CREATE INDEX "samples_quality_instruction_id_idx" ON "samples"("quality", "instruction_id");

-- CreateIndex
CREATE INDEX "samples_difficulty_instruction_id_idx" ON "samples"("difficulty", "instruction_id");

-- CreateIndex
CREATE INDEX "samples_relevance_instruction_id_idx" ON "samples"("relevance", "instruction_id");

-- CreateIndex
CREATE INDEX "samples_reward_score_instruction_id_idx" ON "samples"("reward_score", "instruction_id");

-- CreateIndex
CREATE INDEX "samples_primary_id_secondary_id_idx" ON "samples"("primary_id", "secondary_id");

-- CreateIndex
CREATE INDEX "samples_secondary_id_idx" ON "samples"("secondary_id");

-- CreateIndex
CREATE INDEX "sample_documents_search_idx" ON "sample_documents" USING GIN ("search");

-- CreateIndex
CREATE UNIQUE INDEX "bulk_operations_undoes_id_key" ON "bulk_operations"("undoes_id");

-- CreateIndex
CREATE INDEX "bulk_operations_created_at_idx" ON "bulk_operations"("created_at");

-- CreateIndex
CREATE INDEX "label_changes_instruction_id_id_idx" ON "label_changes"("instruction_id", "id");

-- CreateIndex
CREATE INDEX "label_changes_bulk_operation_id_idx" ON "label_changes"("bulk_operation_id");

-- AddForeignKey
ALTER TABLE "departments" ADD CONSTRAINT "departments_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "departments" ADD CONSTRAINT "departments_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "samples" ADD CONSTRAINT "samples_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sample_documents" ADD CONSTRAINT "sample_documents_instruction_id_fkey" FOREIGN KEY ("instruction_id") REFERENCES "samples"("instruction_id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Seed: the paper's taxonomy (Appendix C/D), 6 primary and 29 secondary departments, in its order.
INSERT INTO "departments" ("level", "name", "sort_order") VALUES
    ('primary', 'Internal Medicine', 1),
    ('primary', 'Surgery', 2),
    ('primary', 'Obstetrics and Gynecology', 3),
    ('primary', 'Pediatrics', 4),
    ('primary', 'Otorhinolaryngology', 5),
    ('primary', 'Other Departments', 6);

INSERT INTO "departments" ("level", "name", "parent_id", "sort_order")
SELECT 'secondary', s.name, p."id", s.sort_order FROM (VALUES
    ('Internal Medicine', 'Respiratory and Critical Care Medicine', 1),
    ('Internal Medicine', 'Cardiology', 2),
    ('Internal Medicine', 'Endocrinology', 3),
    ('Internal Medicine', 'Gastroenterology', 4),
    ('Internal Medicine', 'Hematology', 5),
    ('Internal Medicine', 'Nephrology', 6),
    ('Internal Medicine', 'Rheumatology and Immunology', 7),
    ('Internal Medicine', 'Neurology', 8),
    ('Surgery', 'Gastrointestinal Surgery', 9),
    ('Surgery', 'Hepatobiliary Surgery', 10),
    ('Surgery', 'Urology', 11),
    ('Surgery', 'Cardiovascular Surgery', 12),
    ('Surgery', 'Thoracic Surgery', 13),
    ('Surgery', 'Orthopedic Surgery', 14),
    ('Surgery', 'Neurosurgery', 15),
    ('Surgery', 'Burns and Plastic Surgery', 16),
    ('Surgery', 'Thyroid Surgery', 17),
    ('Surgery', 'Breast Surgery', 18),
    ('Obstetrics and Gynecology', 'Gynecology', 19),
    ('Obstetrics and Gynecology', 'Obstetrics', 20),
    ('Pediatrics', 'Pediatric Internal Medicine', 21),
    ('Pediatrics', 'Pediatric Surgery', 22),
    ('Otorhinolaryngology', 'Otorhinolaryngology (ENT)', 23),
    ('Otorhinolaryngology', 'Ophthalmology', 24),
    ('Otorhinolaryngology', 'Dentistry (Oral Medicine)', 25),
    ('Other Departments', 'Dermatology and Venereology', 26),
    ('Other Departments', 'Rehabilitation Medicine', 27),
    ('Other Departments', 'Anesthesiology', 28),
    ('Other Departments', 'Traditional Chinese Medicine (TCM)', 29)
) AS s(parent, name, sort_order) JOIN "departments" p ON p."level" = 'primary' AND p."name" = s.parent;
