-- CreateTable
CREATE TABLE "mislabel_hints" (
    "instruction_id" BIGINT NOT NULL,
    "space_id" UUID NOT NULL,
    "projection_id" UUID NOT NULL,
    "neighbour_count" SMALLINT NOT NULL,
    "disagreeing" SMALLINT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "department_id" SMALLINT NOT NULL,
    "majority_department_id" SMALLINT NOT NULL,
    "majority_count" SMALLINT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mislabel_hints_pkey" PRIMARY KEY ("instruction_id")
);

-- CreateIndex
CREATE INDEX "mislabel_hints_share_instruction_id_idx" ON "mislabel_hints"("share" DESC, "instruction_id");

