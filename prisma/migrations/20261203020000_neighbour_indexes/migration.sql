-- CreateTable
CREATE TABLE "neighbour_indexes" (
    "space_id" UUID NOT NULL,
    "vector_count" INTEGER NOT NULL,
    "components" INTEGER NOT NULL,
    "ids" BYTEA NOT NULL,
    "reasoning" BYTEA NOT NULL,
    "sketch" BYTEA NOT NULL,
    "pca" BYTEA NOT NULL,
    "query_model" BYTEA,
    "built_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "neighbour_indexes_pkey" PRIMARY KEY ("space_id")
);
