-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "corpora" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "corpora_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_texts" (
    "id" BIGSERIAL NOT NULL,
    "corpus_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "external_id" TEXT,
    "text" TEXT NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "language" VARCHAR(16) NOT NULL DEFAULT 'en',
    "length" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_texts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "corpus_id" UUID NOT NULL,
    "created_by" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "format" VARCHAR(16) NOT NULL,
    "encoding" VARCHAR(16),
    "text_field" TEXT NOT NULL,
    "id_field" TEXT,
    "strict" BOOLEAN NOT NULL DEFAULT false,
    "status" "import_status" NOT NULL DEFAULT 'running',
    "imported_count" INTEGER NOT NULL DEFAULT 0,
    "duplicate_count" INTEGER NOT NULL DEFAULT 0,
    "rejected_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_rejections" (
    "id" BIGSERIAL NOT NULL,
    "import_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "import_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "corpora_name_key" ON "corpora"("name");

-- CreateIndex
CREATE INDEX "source_texts_corpus_id_id_idx" ON "source_texts"("corpus_id", "id");

-- CreateIndex
CREATE INDEX "source_texts_import_id_idx" ON "source_texts"("import_id");

-- CreateIndex
CREATE INDEX "source_texts_corpus_id_external_id_idx" ON "source_texts"("corpus_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "source_texts_corpus_id_content_hash_key" ON "source_texts"("corpus_id", "content_hash");

-- CreateIndex
CREATE INDEX "imports_corpus_id_started_at_idx" ON "imports"("corpus_id", "started_at");

-- CreateIndex
CREATE INDEX "import_rejections_import_id_line_idx" ON "import_rejections"("import_id", "line");

-- AddForeignKey
ALTER TABLE "source_texts" ADD CONSTRAINT "source_texts_corpus_id_fkey" FOREIGN KEY ("corpus_id") REFERENCES "corpora"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_texts" ADD CONSTRAINT "source_texts_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "imports" ADD CONSTRAINT "imports_corpus_id_fkey" FOREIGN KEY ("corpus_id") REFERENCES "corpora"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

