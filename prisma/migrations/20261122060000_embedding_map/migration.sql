-- CreateEnum
CREATE TYPE "ProjectionStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "embedding_spaces" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "embedder" TEXT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "input" VARCHAR(32) NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "encoding" VARCHAR(8) NOT NULL DEFAULT 'f32',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embedding_spaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embeddings" (
    "space_id" UUID NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "vector" BYTEA NOT NULL,

    CONSTRAINT "embeddings_pkey" PRIMARY KEY ("space_id","instruction_id")
);

-- CreateTable
CREATE TABLE "projections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "space_id" UUID NOT NULL,
    "method" VARCHAR(8) NOT NULL,
    "parameters" JSONB NOT NULL,
    "scope" JSONB NOT NULL,
    "status" "ProjectionStatus" NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT,
    "point_count" INTEGER,
    "neighbour_preservation" DOUBLE PRECISION,
    "report" JSONB,
    "error" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "projections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projection_points" (
    "projection_id" UUID NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,

    CONSTRAINT "projection_points_pkey" PRIMARY KEY ("projection_id","instruction_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "embedding_spaces_embedder_input_key" ON "embedding_spaces"("embedder", "input");

-- CreateIndex
CREATE INDEX "projections_created_at_idx" ON "projections"("created_at");

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "embedding_spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projections" ADD CONSTRAINT "projections_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "embedding_spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projection_points" ADD CONSTRAINT "projection_points_projection_id_fkey" FOREIGN KEY ("projection_id") REFERENCES "projections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

