-- CreateTable
CREATE TABLE "map_selections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "projection_id" UUID NOT NULL,
    "filters" JSONB NOT NULL,
    "polygon" JSONB NOT NULL,
    "point_count" INTEGER NOT NULL,
    "instruction_ids" BIGINT[],
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "map_selections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "map_selections_created_at_idx" ON "map_selections"("created_at");

-- 800 KB of ids per 100,000 selected samples: kept uncompressed, since compressing them made storing a
-- selection about ten times slower (measured: 240 ms against 25 ms for 100k ids) for little space.
ALTER TABLE "map_selections" ALTER COLUMN "instruction_ids" SET STORAGE EXTERNAL;
