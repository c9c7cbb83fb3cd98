-- CreateEnum
CREATE TYPE "dataset_version_state" AS ENUM ('draft', 'in_review', 'approved', 'rejected');

-- CreateTable
CREATE TABLE "dataset_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "state" "dataset_version_state" NOT NULL DEFAULT 'draft',
    "selection" JSONB NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "member_count" INTEGER NOT NULL,
    "counts" JSONB NOT NULL,
    "departments" JSONB NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_by" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,

    CONSTRAINT "dataset_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_members" (
    "version_id" UUID NOT NULL,
    "instruction_id" BIGINT NOT NULL,
    "chosen_response_id" BIGINT NOT NULL,
    "rejected_response_id" BIGINT,
    "tier" "sample_tier" NOT NULL,
    "primary_id" SMALLINT,
    "secondary_id" SMALLINT,

    CONSTRAINT "dataset_members_pkey" PRIMARY KEY ("version_id","instruction_id")
);

-- CreateTable
CREATE TABLE "dataset_version_events" (
    "id" BIGSERIAL NOT NULL,
    "version_id" UUID NOT NULL,
    "from_state" "dataset_version_state",
    "to_state" "dataset_version_state" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_version_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dataset_versions_created_at_idx" ON "dataset_versions"("created_at");

-- CreateIndex
CREATE INDEX "dataset_version_events_version_id_id_idx" ON "dataset_version_events"("version_id", "id");

-- AddForeignKey
ALTER TABLE "dataset_members" ADD CONSTRAINT "dataset_members_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_version_events" ADD CONSTRAINT "dataset_version_events_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A version is frozen at creation and immutable once approved. The product enforces this in lib/datasets;
-- these triggers make it hold for every writer, psql included.
CREATE FUNCTION "dataset_version_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."state" = 'approved' THEN
      RAISE EXCEPTION 'dataset version % is approved and cannot be deleted', OLD."id" USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."state" = 'approved' THEN
    RAISE EXCEPTION 'dataset version % is approved and cannot change', OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW."id", NEW."name", NEW."selection", NEW."content_hash", NEW."member_count", NEW."counts", NEW."departments", NEW."created_by", NEW."created_at")
     IS DISTINCT FROM
     (OLD."id", OLD."name", OLD."selection", OLD."content_hash", OLD."member_count", OLD."counts", OLD."departments", OLD."created_by", OLD."created_at") THEN
    RAISE EXCEPTION 'dataset version % is frozen: only its review state may change', OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."state" IS DISTINCT FROM OLD."state" AND NOT (
       (OLD."state" = 'draft' AND NEW."state" = 'in_review') OR
       (OLD."state" = 'in_review' AND NEW."state" IN ('approved', 'rejected'))) THEN
    RAISE EXCEPTION 'dataset version % cannot go from % to %', OLD."id", OLD."state", NEW."state" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "dataset_versions_guard" BEFORE UPDATE OR DELETE ON "dataset_versions"
  FOR EACH ROW EXECUTE FUNCTION "dataset_version_guard"();

-- Members are written once, in the transaction that creates their version (checked per statement, so a
-- freeze of 300,000 members pays one check); a cascade from deleting an unapproved version finds its
-- parent gone and passes.
CREATE FUNCTION "dataset_member_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'dataset version members are frozen' USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM "dataset_versions" v WHERE v."id" = OLD."version_id") THEN
    RAISE EXCEPTION 'dataset version % is frozen: members cannot be removed', OLD."version_id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN OLD;
END $$;

CREATE FUNCTION "dataset_member_insert_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT "version_id" FROM "added_members") a
      LEFT JOIN "dataset_versions" v ON v."id" = a."version_id"
     WHERE v."id" IS NULL OR v."state" <> 'draft' OR v."xmin" <> xid(pg_current_xact_id())) THEN
    RAISE EXCEPTION 'dataset versions are frozen: members can only be added while their version is created' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "dataset_members_guard" BEFORE UPDATE OR DELETE ON "dataset_members"
  FOR EACH ROW EXECUTE FUNCTION "dataset_member_guard"();

CREATE TRIGGER "dataset_members_insert_guard" AFTER INSERT ON "dataset_members"
  REFERENCING NEW TABLE AS "added_members" FOR EACH STATEMENT EXECUTE FUNCTION "dataset_member_insert_guard"();
