-- CreateTable
CREATE TABLE "run_health" (
    "run_id" UUID NOT NULL,
    "block_kind" TEXT,
    "block_reason" TEXT,
    "block_worker" TEXT,
    "blocked_since" TIMESTAMPTZ(3),
    "block_checks" INTEGER NOT NULL DEFAULT 0,
    "block_checked_at" TIMESTAMPTZ(3),
    "transient_retries" INTEGER NOT NULL DEFAULT 0,
    "last_transient_error" TEXT,
    "last_transient_at" TIMESTAMPTZ(3),
    "preflight" JSONB,
    "concurrency" JSONB,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_health_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "import_warnings" (
    "id" BIGSERIAL NOT NULL,
    "import_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "import_warnings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_warnings_import_id_line_idx" ON "import_warnings"("import_id", "line");
