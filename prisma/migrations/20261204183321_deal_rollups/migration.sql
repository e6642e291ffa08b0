-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "buyerKind" "OrgKind",
ADD COLUMN     "sellerKind" "OrgKind";

-- CreateTable
CREATE TABLE "DealRollup" (
    "month" DATE NOT NULL,
    "contractType" "ContractType" NOT NULL,
    "subType" VARCHAR(30) NOT NULL,
    "fieldCode" VARCHAR(2) NOT NULL,
    "sellerKind" "OrgKind" NOT NULL,
    "buyerKind" "OrgKind" NOT NULL,
    "sellerRegionCode" VARCHAR(6) NOT NULL,
    "buyerRegionCode" VARCHAR(6) NOT NULL,
    "brokerId" TEXT NOT NULL,
    "contractAmount" DECIMAL(20,2) NOT NULL,
    "techTransactionAmount" DECIMAL(20,2) NOT NULL,
    "count" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealRollup_pkey" PRIMARY KEY ("month","contractType","subType","fieldCode","sellerKind","buyerKind","sellerRegionCode","buyerRegionCode","brokerId")
);

-- Which statuses count as registered (技术合同成交额 counts status 登记 or later): the SQL side
-- of REGISTERED_DEAL_STATUSES in app/domain/constants.ts; a test holds the two equal.
CREATE FUNCTION "deal_counts_as_registered"(status "DealStatus") RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT status IN ('registered', 'performing', 'completed') $$;

-- The kinds of both parties are frozen with their region codes, whoever sets those (the
-- signing step, the importer, the seed): a university that later registers as a company does
-- not rewrite past conversion rates.
CREATE FUNCTION "Deal_snapshot_kinds"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sellerRegionCode" IS NULL THEN
    NEW."sellerKind" := NULL;
  ELSIF NEW."sellerKind" IS NULL OR (TG_OP = 'UPDATE' AND NEW."sellerOrgId" <> OLD."sellerOrgId") THEN
    SELECT kind INTO NEW."sellerKind" FROM "Organization" WHERE id = NEW."sellerOrgId";
  END IF;
  IF NEW."buyerRegionCode" IS NULL THEN
    NEW."buyerKind" := NULL;
  ELSIF NEW."buyerKind" IS NULL OR (TG_OP = 'UPDATE' AND NEW."buyerOrgId" <> OLD."buyerOrgId") THEN
    SELECT kind INTO NEW."buyerKind" FROM "Organization" WHERE id = NEW."buyerOrgId";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Deal_snapshot_kinds" BEFORE INSERT OR UPDATE ON "Deal"
  FOR EACH ROW EXECUTE FUNCTION "Deal_snapshot_kinds"();

UPDATE "Deal" d SET "sellerKind" = o.kind FROM "Organization" o
  WHERE o.id = d."sellerOrgId" AND d."sellerRegionCode" IS NOT NULL;
UPDATE "Deal" d SET "buyerKind" = o.kind FROM "Organization" o
  WHERE o.id = d."buyerOrgId" AND d."buyerRegionCode" IS NOT NULL;

-- Every statement that changes deals adds what it added and subtracts what it removed, per
-- rollup key, in the same transaction. Deltas commute, so concurrent writers need no lock
-- beyond the rollup rows' own; keys whose count falls to zero are removed.
CREATE FUNCTION "DealRollup_apply"() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO "DealRollup" AS r (month, "contractType", "subType", "fieldCode", "sellerKind",
      "buyerKind", "sellerRegionCode", "buyerRegionCode", "brokerId", "contractAmount",
      "techTransactionAmount", count)
    SELECT date_trunc('month', "registeredAt")::date, "contractType", coalesce("subType", ''),
           coalesce(left("fieldCode", 2), ''), "sellerKind", "buyerKind", "sellerRegionCode",
           "buyerRegionCode", coalesce("brokerId", ''),
           sum(sign * "contractAmount"), sum(sign * coalesce("techTransactionAmount", 0)),
           sum(sign)::int
    FROM (%s) AS changed
    WHERE "deal_counts_as_registered"(status)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    HAVING sum(sign) <> 0 OR sum(sign * "contractAmount") <> 0
        OR sum(sign * coalesce("techTransactionAmount", 0)) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (month, "contractType", "subType", "fieldCode", "sellerKind", "buyerKind",
                 "sellerRegionCode", "buyerRegionCode", "brokerId")
    DO UPDATE SET "contractAmount" = r."contractAmount" + excluded."contractAmount",
                  "techTransactionAmount" = r."techTransactionAmount" + excluded."techTransactionAmount",
                  count = r.count + excluded.count,
                  "updatedAt" = now()
  $sql$, changed);
  DELETE FROM "DealRollup" WHERE count = 0;
  RETURN NULL;
END $fn$;

-- A trigger with transition tables serves one event, hence three.
CREATE TRIGGER "DealRollup_insert" AFTER INSERT ON "Deal"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "DealRollup_apply"();
CREATE TRIGGER "DealRollup_update" AFTER UPDATE ON "Deal"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "DealRollup_apply"();
CREATE TRIGGER "DealRollup_delete" AFTER DELETE ON "Deal"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "DealRollup_apply"();

-- DELETE, not TRUNCATE: a TRUNCATE naming both tables would refuse to truncate one again.
CREATE FUNCTION "DealRollup_truncate"() RETURNS trigger
  LANGUAGE plpgsql AS $$ BEGIN DELETE FROM "DealRollup"; RETURN NULL; END $$;
CREATE TRIGGER "DealRollup_truncate" AFTER TRUNCATE ON "Deal"
  FOR EACH STATEMENT EXECUTE FUNCTION "DealRollup_truncate"();

-- Emptied keys are found without a scan.
CREATE INDEX "DealRollup_empty_idx" ON "DealRollup" (month) WHERE count = 0;

-- No CHECK on count: PostgreSQL checks the row an upsert proposes (a negative delta) before it
-- finds the row it updates. findRollupDrift (app/models/stats.server.ts) checks the result.

-- What is registered already.
INSERT INTO "DealRollup" (month, "contractType", "subType", "fieldCode", "sellerKind",
  "buyerKind", "sellerRegionCode", "buyerRegionCode", "brokerId", "contractAmount",
  "techTransactionAmount", count)
SELECT date_trunc('month', "registeredAt")::date, "contractType", coalesce("subType", ''),
       coalesce(left("fieldCode", 2), ''), "sellerKind", "buyerKind", "sellerRegionCode",
       "buyerRegionCode", coalesce("brokerId", ''), sum("contractAmount"),
       sum(coalesce("techTransactionAmount", 0)), count(*)::int
FROM "Deal" WHERE "deal_counts_as_registered"(status)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
