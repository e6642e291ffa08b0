-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TargetMetric" ADD VALUE 'talent_researchers';
ALTER TYPE "TargetMetric" ADD VALUE 'talent_enterprises';
ALTER TYPE "TargetMetric" ADD VALUE 'new_high_tech_enterprises';
ALTER TYPE "TargetMetric" ADD VALUE 'little_giants';
ALTER TYPE "TargetMetric" ADD VALUE 'high_tech_value_added';
ALTER TYPE "TargetMetric" ADD VALUE 'invention_patent_applications';
ALTER TYPE "TargetMetric" ADD VALUE 'invention_patent_grants';

-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "TargetChange" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "metric" "TargetMetric" NOT NULL,
    "previous" DECIMAL(18,4),
    "value" DECIMAL(18,4) NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TargetChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportedActual" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "metric" "TargetMetric" NOT NULL,
    "value" DECIMAL(18,4) NOT NULL,
    "source" VARCHAR(100) NOT NULL,
    "asOf" DATE NOT NULL,
    "reportedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportedActual_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TargetChange_year_createdAt_idx" ON "TargetChange"("year", "createdAt");

-- CreateIndex
CREATE INDEX "ReportedActual_year_metric_asOf_idx" ON "ReportedActual"("year", "metric", "asOf");

-- AddForeignKey
ALTER TABLE "TargetChange" ADD CONSTRAINT "TargetChange_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportedActual" ADD CONSTRAINT "ReportedActual_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Years the bureau plans for (the value checks are in database_invariants).
ALTER TABLE "Target" ADD CONSTRAINT "Target_year_check" CHECK ("year" BETWEEN 2000 AND 2100);

-- A reported figure is non-negative, and is reported during its year or the next (final
-- figures for a year arrive in the following spring).
ALTER TABLE "ReportedActual"
  ADD CONSTRAINT "ReportedActual_value_check" CHECK ("value" >= 0),
  ADD CONSTRAINT "ReportedActual_asOf_check"
    CHECK ("asOf" >= make_date("year", 1, 1) AND "asOf" < make_date("year" + 2, 1, 1));

CREATE FUNCTION "TargetChange_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '目标修改记录（TargetChange）只能追加，不能%（记录 %）',
    CASE TG_OP WHEN 'UPDATE' THEN '修改' ELSE '删除' END, OLD."id"
    USING ERRCODE = 'restrict_violation', CONSTRAINT = 'TargetChange_append_only',
          HINT = '要更正目标，请再修改一次，新的记录会追加在后面。';
END
$$;

CREATE TRIGGER "TargetChange_append_only"
  BEFORE UPDATE OR DELETE ON "TargetChange"
  FOR EACH ROW EXECUTE FUNCTION "TargetChange_append_only"();

CREATE FUNCTION "ReportedActual_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '上报数据（ReportedActual）只能追加，不能%（记录 %）',
    CASE TG_OP WHEN 'UPDATE' THEN '修改' ELSE '删除' END, OLD."id"
    USING ERRCODE = 'restrict_violation', CONSTRAINT = 'ReportedActual_append_only',
          HINT = '要更正，请以新的截至日期或来源再上报一次。';
END
$$;

CREATE TRIGGER "ReportedActual_append_only"
  BEFORE UPDATE OR DELETE ON "ReportedActual"
  FOR EACH ROW EXECUTE FUNCTION "ReportedActual_append_only"();
