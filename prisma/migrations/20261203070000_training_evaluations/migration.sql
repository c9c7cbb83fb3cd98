-- CreateTable
CREATE TABLE "training_evaluations" (
    "job_id" UUID NOT NULL,
    "chain_id" UUID NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "mode" VARCHAR(16) NOT NULL,
    "questions" INTEGER,
    "answered" INTEGER NOT NULL,
    "with_answer" INTEGER,
    "correct" INTEGER,
    "accuracy" DOUBLE PRECISION,
    "repeat_accuracies" JSONB,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_evaluations_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE INDEX "training_evaluations_chain_id_idx" ON "training_evaluations"("chain_id");
