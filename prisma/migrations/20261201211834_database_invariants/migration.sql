-- DropIndex
DROP INDEX "SearchOutbox_processedAt_seq_idx";
-- The outbox is read as "unprocessed rows in seq order"; processed rows, the vast majority
-- over time, need no index. Prisma 6 cannot declare a partial index and does not see one, so
-- schema.prisma leaves it out (see the comment on SearchOutbox there).
CREATE INDEX "SearchOutbox_unprocessed_seq_idx" ON "SearchOutbox" ("seq") WHERE "processedAt" IS NULL;

-- The database keeps the domain's invariants itself: the importer and the seed write raw SQL
-- past the Zod schemas, and so may any future code. Prisma 6 cannot express CHECK
-- constraints in schema.prisma; `migrate diff` ignores them, so they are not drift.

-- GB/T 2260 county-level codes; GB 32100-2015 codes use 31 characters (no I, O, S, V, Z).
ALTER TABLE "Organization"
  ADD CONSTRAINT "Organization_regionCode_check" CHECK ("regionCode" ~ '^[0-9]{6}$'),
  ADD CONSTRAINT "Organization_creditCode_check" CHECK ("creditCode" ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$');

-- Field codes: a field (two digits, '80') or one of its sub-fields (three digits, '804').
ALTER TABLE "Result"
  ADD CONSTRAINT "Result_trl_check" CHECK ("trl" BETWEEN 1 AND 9),
  ADD CONSTRAINT "Result_askingPrice_check" CHECK ("askingPrice" >= 0),
  ADD CONSTRAINT "Result_fieldCode_check" CHECK ("fieldCode" ~ '^[0-9]{2,3}$'),
  ADD CONSTRAINT "Result_version_check" CHECK ("version" >= 1);

ALTER TABLE "Need"
  ADD CONSTRAINT "Need_budgetMin_check" CHECK ("budgetMin" >= 0),
  ADD CONSTRAINT "Need_budgetMax_check" CHECK ("budgetMax" >= 0),
  ADD CONSTRAINT "Need_budget_range_check" CHECK ("budgetMin" <= "budgetMax"),
  ADD CONSTRAINT "Need_fieldCode_check" CHECK ("fieldCode" ~ '^[0-9]{2,3}$'),
  ADD CONSTRAINT "Need_version_check" CHECK ("version" >= 1);

-- A registered contract (registered or later, as 技术合同成交额 counts them) has its
-- registration date and number; the statistics count it by that date.
ALTER TABLE "Deal"
  ADD CONSTRAINT "Deal_contractAmount_check" CHECK ("contractAmount" >= 0),
  ADD CONSTRAINT "Deal_techTransactionAmount_check" CHECK ("techTransactionAmount" >= 0),
  ADD CONSTRAINT "Deal_techTransactionAmount_within_contract_check"
    CHECK ("techTransactionAmount" <= "contractAmount"),
  ADD CONSTRAINT "Deal_commissionAmount_check" CHECK ("commissionAmount" >= 0),
  ADD CONSTRAINT "Deal_parties_check" CHECK ("sellerOrgId" <> "buyerOrgId"),
  ADD CONSTRAINT "Deal_registeredAt_check" CHECK ("registeredAt" >= "signedAt"),
  ADD CONSTRAINT "Deal_registration_check" CHECK (
    "status" NOT IN ('registered', 'performing', 'completed')
    OR ("registeredAt" IS NOT NULL AND "registrationNo" IS NOT NULL)
  ),
  ADD CONSTRAINT "Deal_sellerRegionCode_check" CHECK ("sellerRegionCode" ~ '^[0-9]{6}$'),
  ADD CONSTRAINT "Deal_buyerRegionCode_check" CHECK ("buyerRegionCode" ~ '^[0-9]{6}$'),
  ADD CONSTRAINT "Deal_fieldCode_check" CHECK ("fieldCode" ~ '^[0-9]{2,3}$'),
  ADD CONSTRAINT "Deal_version_check" CHECK ("version" >= 1);

-- A match pairs a need with a result or with an expert, never both, never neither.
ALTER TABLE "Match"
  ADD CONSTRAINT "Match_target_check" CHECK (num_nonnulls("resultId", "expertId") = 1);

-- Targets are amounts in yuan or, for the local conversion rate, a share (0.30 = 30%).
ALTER TABLE "Target"
  ADD CONSTRAINT "Target_value_check" CHECK ("value" >= 0),
  ADD CONSTRAINT "Target_rate_check" CHECK ("metric" <> 'local_conversion_rate' OR "value" <= 1);

ALTER TABLE "SearchOutbox"
  ADD CONSTRAINT "SearchOutbox_attempts_check" CHECK ("attempts" >= 0);

-- Append-only logs: an UPDATE or DELETE of a DealEvent or ModerationDecision is refused, so a
-- correction is a new row and the history cannot be rewritten. Deliberate exceptions:
--  * the foreign keys' own actions on DealEvent, so that schema.prisma means what it says:
--    deleting a deal takes its log with it (ON DELETE CASCADE; the deal row is already gone
--    when the cascade runs), and deleting a user clears "actorId" and nothing else
--    (ON DELETE SET NULL). Every direct DELETE meets an existing deal (the foreign key
--    guarantees it) and is refused. ModerationDecision has no such action (its moderator is
--    ON DELETE RESTRICT), so it allows nothing.
--  * TRUNCATE, which row triggers do not see: it needs the table owner's TRUNCATE right, no
--    application code issues it, and the test harness and `prisma migrate reset` empty
--    tables with it.
CREATE FUNCTION "DealEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "Deal" WHERE "id" = OLD."dealId") THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE'
     AND OLD."actorId" IS NOT NULL AND NEW."actorId" IS NULL
     AND to_jsonb(NEW) - 'actorId' = to_jsonb(OLD) - 'actorId'
     AND NOT EXISTS (SELECT 1 FROM "User" WHERE "id" = OLD."actorId") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '交易事件（DealEvent）只能追加，不能%（记录 %）',
    CASE TG_OP WHEN 'UPDATE' THEN '修改' ELSE '删除' END, OLD."id"
    USING ERRCODE = 'restrict_violation', CONSTRAINT = 'DealEvent_append_only',
          HINT = '要更正，请追加一条新的交易事件。';
END
$$;

CREATE TRIGGER "DealEvent_append_only"
  BEFORE UPDATE OR DELETE ON "DealEvent"
  FOR EACH ROW EXECUTE FUNCTION "DealEvent_append_only"();

CREATE FUNCTION "ModerationDecision_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '审核记录（ModerationDecision）只能追加，不能%（记录 %）',
    CASE TG_OP WHEN 'UPDATE' THEN '修改' ELSE '删除' END, OLD."id"
    USING ERRCODE = 'restrict_violation', CONSTRAINT = 'ModerationDecision_append_only',
          HINT = '要更正，请追加一条新的审核记录。';
END
$$;

CREATE TRIGGER "ModerationDecision_append_only"
  BEFORE UPDATE OR DELETE ON "ModerationDecision"
  FOR EACH ROW EXECUTE FUNCTION "ModerationDecision_append_only"();
