-- CreateTable
CREATE TABLE "training_cluster_profiles" (
    "name" TEXT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "submit_mode" VARCHAR(16) NOT NULL,
    "ssh_host" TEXT,
    "ssh_user" TEXT,
    "restd_url" TEXT,
    "restd_token_env" TEXT,
    "partition" TEXT,
    "account" TEXT,
    "stage_templates" JSONB NOT NULL,
    "trainer_commands" JSONB NOT NULL,
    "work_dir" TEXT,
    "settings" JSONB NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_cluster_profiles_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "training_chains" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "version_id" UUID NOT NULL,
    "export_dir" TEXT NOT NULL,
    "manifest_sha256" CHAR(64) NOT NULL,
    "profile_name" TEXT NOT NULL,
    "profile" JSONB NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_chains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "chain_id" UUID NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "stage_order" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "cluster_job_id" TEXT,
    "state" VARCHAR(24) NOT NULL,
    "dependency" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "exit_code" INTEGER,
    "reason" TEXT,
    "stdout_path" TEXT NOT NULL,
    "stderr_path" TEXT NOT NULL,
    "output_dir" TEXT NOT NULL,
    "script" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "training_chains_version_id_created_at_idx" ON "training_chains"("version_id", "created_at");

-- CreateIndex
CREATE INDEX "training_chains_state_idx" ON "training_chains"("state");

-- CreateIndex
CREATE UNIQUE INDEX "training_jobs_chain_id_stage_order_key" ON "training_jobs"("chain_id", "stage_order");

-- AddForeignKey
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "training_chains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

