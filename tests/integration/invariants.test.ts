import pg from 'pg'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'

import { prisma } from '~/utils/db.server'

// Raw SQL on a plain connection, as the importer and the seed write: nothing here passes
// through Zod, so whatever is refused is refused by the database itself.
let db: pg.Client
beforeEach(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await db.connect()
  await db.query(`
    INSERT INTO "Organization" (id, name, kind, "regionCode", "creditCode", "updatedAt") VALUES
      ('seller', '西安某大学', 'university', '610113', '12610113MB0000000X', now()),
      ('buyer', '西安某企业', 'enterprise', '610131', NULL, now());
    INSERT INTO "User" (id, email, "passwordHash", "displayName", role, "updatedAt") VALUES
      ('broker', 'broker@example.com', 'x', '经纪人', 'broker', now());
    INSERT INTO "Expert" (id, name, "orgId", fields, keywords, "updatedAt") VALUES
      ('expert', '王教授', 'seller', '{804}', '{}', now());
    INSERT INTO "Result" (id, title, summary, "fieldCode", keywords, trl, "patentNos",
                          "transferModes", "askingPrice", "orgId", "updatedAt")
      VALUES ('result', '高效光伏组件', '一种高效光伏组件的制备方法', '804', '{}', 9, '{}',
              '{transfer}', 0, 'seller', now());
    INSERT INTO "Need" (id, title, description, "fieldCode", keywords, "budgetMin", "budgetMax",
                        "cooperationModes", "orgId", "updatedAt")
      VALUES ('need', '光伏组件降本', '需要降低光伏组件的制造成本', '80', '{}', 100000, 100000,
              '{transfer}', 'buyer', now());
    INSERT INTO "Match" (id, "needId", "resultId", score, reasons, source, "updatedAt")
      VALUES ('match', 'need', 'result', 0.8, '{}', 'engine', now());
    INSERT INTO "MatchFeedback" (id, "matchId", side, verdict, reason, "updatedAt") VALUES
      ('declined', 'match', 'need', 'declined', 'price', now()),
      ('interested', 'match', 'offer', 'interested', NULL, now());
    INSERT INTO "Deal" (id, title, "contractType", "sellerOrgId", "buyerOrgId", "brokerId",
                        "contractAmount", "techTransactionAmount", "commissionAmount", status,
                        "signedAt", "registeredAt", "registrationNo", "fieldCode",
                        "sellerRegionCode", "buyerRegionCode", "updatedAt")
      VALUES ('deal', '光伏组件技术转让', 'transfer', 'seller', 'buyer', 'broker',
              500000, 500000, 0, 'registered', '2026-06-30', '2026-06-30', '2026610113000001',
              '804', '610113', '610131', now());
    INSERT INTO "DealEvent" (id, "dealId", "actorId", "fromStatus", "toStatus")
      VALUES ('event', 'deal', 'broker', 'signed', 'registered');
    INSERT INTO "Message" (id, "dealId", "senderId", body) VALUES ('message', 'deal', 'broker', '您好');
    INSERT INTO "DealDocument" (id, "dealId", kind, "fileName", "contentType", size, sha256)
      VALUES ('document', 'deal', 'contract', '合同.pdf', 'application/pdf', 10485760,
              repeat('0', 64));
    INSERT INTO "ModerationDecision" (id, entity, "entityId", outcome, "moderatorId")
      VALUES ('decision', 'result', 'result', 'approved', 'broker');
    INSERT INTO "Target" (id, year, metric, value, "updatedAt") VALUES
      ('value', 2026, 'trade_value', 50000000000, now()),
      ('rate', 2026, 'local_conversion_rate', 1, now());
    INSERT INTO "TargetChange" (id, year, metric, previous, value, "actorId") VALUES
      ('change', 2026, 'trade_value', NULL, 50000000000, 'broker');
    INSERT INTO "ReportedActual" (id, year, metric, value, source, "asOf", "reportedById") VALUES
      ('reported', 2026, 'invention_patent_grants', 0, '市知识产权局', '2027-12-31', 'broker');
    INSERT INTO "SearchOutbox" (entity, "entityId", op, "updatedAt")
      VALUES ('result', 'result', 'upsert', now());
  `)
})
afterEach(async () => {
  await db.end()
})

/** Runs `sql` in a transaction that is always rolled back; returns the error it raised. */
async function refusal(sql: string) {
  await db.query('BEGIN')
  try {
    await db.query(sql)
    return undefined
  } catch (error) {
    return error as pg.DatabaseError
  } finally {
    await db.query('ROLLBACK')
  }
}

// Each CHECK constraint, with writes that break it; the fixture above sits on every boundary
// (TRL 9, price 0, equal budgets, amounts equal, same-day registration) and is accepted.
const violations: Record<string, string[]> = {
  Organization_regionCode_check: [
    `UPDATE "Organization" SET "regionCode" = '61011' WHERE id = 'seller'`,
    `UPDATE "Organization" SET "regionCode" = '61011x' WHERE id = 'seller'`,
  ],
  Organization_creditCode_check: [
    `UPDATE "Organization" SET "creditCode" = '12610113MB0000000' WHERE id = 'seller'`,
    `UPDATE "Organization" SET "creditCode" = '12610113MB000000OX' WHERE id = 'seller'`,
    `UPDATE "Organization" SET "creditCode" = '12610113mb0000000x' WHERE id = 'seller'`,
  ],
  Result_trl_check: [
    `UPDATE "Result" SET trl = 0 WHERE id = 'result'`,
    `UPDATE "Result" SET trl = 10 WHERE id = 'result'`,
  ],
  Result_askingPrice_check: [`UPDATE "Result" SET "askingPrice" = -0.01 WHERE id = 'result'`],
  Result_fieldCode_check: [`UPDATE "Result" SET "fieldCode" = '8' WHERE id = 'result'`],
  Result_version_check: [`UPDATE "Result" SET version = 0 WHERE id = 'result'`],
  Result_keywords_check: [
    `UPDATE "Result" SET keywords = ARRAY[repeat('谱', 61)] WHERE id = 'result'`,
    `UPDATE "Result" SET keywords = array_fill('光伏'::text, ARRAY[11]) WHERE id = 'result'`,
  ],
  Need_keywords_check: [
    `UPDATE "Need" SET keywords = ARRAY['降本', repeat('x', 61)] WHERE id = 'need'`,
  ],
  Expert_keywords_check: [
    `UPDATE "Expert" SET keywords = array_fill('光伏'::text, ARRAY[11]) WHERE id = 'expert'`,
  ],
  Need_budgetMin_check: [
    `UPDATE "Need" SET "budgetMin" = -1, "budgetMax" = NULL WHERE id = 'need'`,
  ],
  Need_budgetMax_check: [
    `UPDATE "Need" SET "budgetMin" = NULL, "budgetMax" = -1 WHERE id = 'need'`,
  ],
  Need_budget_range_check: [`UPDATE "Need" SET "budgetMin" = 100000.01 WHERE id = 'need'`],
  Need_fieldCode_check: [`UPDATE "Need" SET "fieldCode" = '8a' WHERE id = 'need'`],
  Need_version_check: [`UPDATE "Need" SET version = -1 WHERE id = 'need'`],
  Deal_contractAmount_check: [
    `UPDATE "Deal" SET "contractAmount" = -1, "techTransactionAmount" = NULL WHERE id = 'deal'`,
  ],
  Deal_techTransactionAmount_check: [
    `UPDATE "Deal" SET "techTransactionAmount" = -1 WHERE id = 'deal'`,
  ],
  Deal_techTransactionAmount_within_contract_check: [
    `UPDATE "Deal" SET "techTransactionAmount" = 500000.01 WHERE id = 'deal'`,
  ],
  Deal_commissionRate_check: [
    `UPDATE "Deal" SET "commissionRate" = 0 WHERE id = 'deal'`,
    `UPDATE "Deal" SET "commissionRate" = 0.3001 WHERE id = 'deal'`,
  ],
  Deal_commissionAmount_check: [`UPDATE "Deal" SET "commissionAmount" = -1 WHERE id = 'deal'`],
  Deal_parties_check: [`UPDATE "Deal" SET "buyerOrgId" = 'seller' WHERE id = 'deal'`],
  Deal_registeredAt_check: [`UPDATE "Deal" SET "registeredAt" = '2026-06-29' WHERE id = 'deal'`],
  Deal_registration_check: [
    `UPDATE "Deal" SET "registrationNo" = NULL WHERE id = 'deal'`,
    `UPDATE "Deal" SET "registeredAt" = NULL, status = 'completed' WHERE id = 'deal'`,
  ],
  Deal_sellerRegionCode_check: [`UPDATE "Deal" SET "sellerRegionCode" = '6101' WHERE id = 'deal'`],
  Deal_buyerRegionCode_check: [`UPDATE "Deal" SET "buyerRegionCode" = 'xa0131' WHERE id = 'deal'`],
  Deal_fieldCode_check: [`UPDATE "Deal" SET "fieldCode" = '' WHERE id = 'deal'`],
  Deal_version_check: [`UPDATE "Deal" SET version = 0 WHERE id = 'deal'`],
  Deal_signed_terms_check: [
    `UPDATE "Deal" SET "contractType" = NULL WHERE id = 'deal'`,
    `UPDATE "Deal" SET "contractAmount" = NULL, "techTransactionAmount" = NULL WHERE id = 'deal'`,
    `UPDATE "Deal" SET "buyerRegionCode" = NULL WHERE id = 'deal'`,
  ],
  DealDocument_contentType_check: [
    `UPDATE "DealDocument" SET "contentType" = 'text/html' WHERE id = 'document'`,
  ],
  DealDocument_size_check: [
    `UPDATE "DealDocument" SET size = 0 WHERE id = 'document'`,
    `UPDATE "DealDocument" SET size = 10485761 WHERE id = 'document'`,
  ],
  DealDocument_sha256_check: [`UPDATE "DealDocument" SET sha256 = 'ABC' WHERE id = 'document'`],
  Message_body_check: [`UPDATE "Message" SET body = ' ' WHERE id = 'message'`],
  Match_target_check: [
    `UPDATE "Match" SET "expertId" = 'expert' WHERE id = 'match'`,
    `UPDATE "Match" SET "resultId" = NULL WHERE id = 'match'`,
  ],
  MatchFeedback_reason_when_declined: [
    `UPDATE "MatchFeedback" SET reason = NULL WHERE id = 'declined'`,
    `UPDATE "MatchFeedback" SET reason = 'price' WHERE id = 'interested'`,
  ],
  Target_value_check: [`UPDATE "Target" SET value = -1 WHERE id = 'value'`],
  Target_rate_check: [`UPDATE "Target" SET value = 1.0001 WHERE id = 'rate'`],
  Target_year_check: [`UPDATE "Target" SET year = 1999 WHERE id = 'rate'`],
  ReportedActual_value_check: [
    `INSERT INTO "ReportedActual" (id, year, metric, value, source, "asOf", "reportedById")
     VALUES ('negative', 2026, 'little_giants', -1, '市科技局', '2026-06-30', 'broker')`,
  ],
  ReportedActual_asOf_check: [
    `INSERT INTO "ReportedActual" (id, year, metric, value, source, "asOf", "reportedById")
     VALUES ('early', 2026, 'little_giants', 1, '市科技局', '2025-12-31', 'broker')`,
    `INSERT INTO "ReportedActual" (id, year, metric, value, source, "asOf", "reportedById")
     VALUES ('late', 2026, 'little_giants', 1, '市科技局', '2028-01-01', 'broker')`,
  ],
  SearchOutbox_attempts_check: [`UPDATE "SearchOutbox" SET attempts = -1`],
}

describe('the database refuses what the domain forbids, whoever writes', () => {
  test('the fixture on every boundary is accepted, and so are the cases the rules allow', async () => {
    // Open amounts and dates are allowed: 面议, no budget, not yet signed or registered.
    const allowed = [
      `UPDATE "Result" SET "askingPrice" = NULL, trl = 1 WHERE id = 'result'`,
      `UPDATE "Need" SET "budgetMin" = NULL WHERE id = 'need'`,
      `UPDATE "Need" SET "budgetMin" = 0, "budgetMax" = NULL WHERE id = 'need'`,
      `UPDATE "Deal" SET status = 'intent', "signedAt" = NULL, "registeredAt" = NULL,
         "registrationNo" = NULL, "techTransactionAmount" = NULL, "commissionAmount" = NULL,
         "sellerRegionCode" = NULL, "buyerRegionCode" = NULL, "fieldCode" = NULL WHERE id = 'deal'`,
      // An enquiry has no contract type or amount yet.
      `UPDATE "Deal" SET status = 'intent', "contractType" = NULL, "contractAmount" = NULL,
         "registrationNo" = NULL, "registeredAt" = NULL WHERE id = 'deal'`,
      `UPDATE "Deal" SET status = 'cancelled' WHERE id = 'deal'`,
      `UPDATE "Match" SET "resultId" = NULL, "expertId" = 'expert' WHERE id = 'match'`,
      `UPDATE "Organization" SET "creditCode" = NULL WHERE id = 'seller'`,
      `UPDATE "Target" SET value = 0`,
      // Ten keywords of the longest length (TEXT_LIMITS) are a real paper's, not an attack.
      `UPDATE "Result" SET keywords = array_fill(repeat('谱', 60), ARRAY[10]) WHERE id = 'result'`,
    ]
    for (const sql of allowed) expect(await refusal(sql), sql).toBeUndefined()
  })

  test.each(Object.entries(violations))('%s refuses what breaks it', async (constraint, writes) => {
    for (const sql of writes) {
      const error = await refusal(sql)
      expect(error, sql).toBeInstanceOf(pg.DatabaseError)
      expect({ sql, code: error?.code, constraint: error?.constraint }).toEqual({
        sql,
        code: '23514', // check_violation
        constraint,
      })
    }
  })

  test('inserts are checked too, as the importer writes them', async () => {
    const error = await refusal(`
      INSERT INTO "Deal" (id, title, "contractType", "sellerOrgId", "buyerOrgId",
                          "contractAmount", "techTransactionAmount", "updatedAt")
      VALUES ('imported', '导入的合同', 'service', 'seller', 'buyer', 100, 120, now())`)
    expect(error?.constraint).toBe('Deal_techTransactionAmount_within_contract_check')
    const match = await refusal(`
      INSERT INTO "Match" (id, "needId", score, reasons, source, "updatedAt")
      VALUES ('nothing', 'need', 0.5, '{}', 'broker', now())`)
    expect(match?.constraint).toBe('Match_target_check')
  })

  test('every CHECK constraint in the database is covered above', async () => {
    const { rows } = await db.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'c' AND n.nspname = 'public' ORDER BY conname`,
    )
    expect(rows.map((row) => row.conname)).toEqual(Object.keys(violations).sort())
  })
})

describe('DealEvent, ModerationDecision and the targets\' records are append-only', () => {
  test.each([
    ['DealEvent', `UPDATE "DealEvent" SET note = '改写历史' WHERE id = 'event'`, '修改'],
    ['DealEvent', `UPDATE "DealEvent" SET "actorId" = NULL WHERE id = 'event'`, '修改'],
    ['DealEvent', `DELETE FROM "DealEvent" WHERE id = 'event'`, '删除'],
    ['ModerationDecision', `UPDATE "ModerationDecision" SET outcome = 'rejected'`, '修改'],
    ['ModerationDecision', `DELETE FROM "ModerationDecision"`, '删除'],
    ['TargetChange', `UPDATE "TargetChange" SET value = 1`, '修改'],
    ['TargetChange', `DELETE FROM "TargetChange"`, '删除'],
    ['ReportedActual', `UPDATE "ReportedActual" SET source = '另一个来源'`, '修改'],
    ['ReportedActual', `DELETE FROM "ReportedActual"`, '删除'],
  ])('%s: %s is refused', async (table, sql, verb) => {
    const error = await refusal(sql)
    expect(error).toBeInstanceOf(pg.DatabaseError)
    expect({ code: error?.code, constraint: error?.constraint }).toEqual({
      code: '23001', // restrict_violation
      constraint: `${table}_append_only`,
    })
    expect(error?.message).toContain(`只能追加，不能${verb}`)
  })

  test('through Prisma as well', async () => {
    await expect(
      prisma.moderationDecision.deleteMany({ where: { id: 'decision' } }),
    ).rejects.toThrow('审核记录（ModerationDecision）只能追加，不能删除')
    await expect(
      prisma.dealEvent.updateMany({ where: { id: 'event' }, data: { note: '改写' } }),
    ).rejects.toThrow('交易事件（DealEvent）只能追加，不能修改')
    expect(await prisma.dealEvent.count()).toBe(1)
  })

  test('new rows are appended freely', async () => {
    await db.query(`
      INSERT INTO "DealEvent" (id, "dealId", "actorId", "fromStatus", "toStatus", note)
      VALUES ('correction', 'deal', 'broker', 'registered', 'registered', '更正：登记日期');
      INSERT INTO "ModerationDecision" (id, entity, "entityId", outcome, reason, "moderatorId")
      VALUES ('again', 'result', 'result', 'rejected', '补充材料后重新审核', 'broker')`)
    const { rows } = await db.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM "DealEvent") + (SELECT count(*) FROM "ModerationDecision") AS count`,
    )
    expect(Number(rows[0]?.count)).toBe(4)
  })

  test('the foreign keys still act: a deleted deal takes its log, a deleted user leaves it', async () => {
    await db.query(`
      INSERT INTO "User" (id, email, "passwordHash", "displayName", role, "updatedAt")
      VALUES ('clerk', 'clerk@example.com', 'x', '登记员', 'bureau', now());
      INSERT INTO "DealEvent" (id, "dealId", "actorId", "toStatus", note)
      VALUES ('by-clerk', 'deal', 'clerk', 'registered', '登记')`)
    // ON DELETE SET NULL: the event stays, only who did it is forgotten.
    await db.query(`DELETE FROM "User" WHERE id = 'clerk'`)
    const kept = await db.query(`SELECT "actorId", note FROM "DealEvent" WHERE id = 'by-clerk'`)
    expect(kept.rows).toEqual([{ actorId: null, note: '登记' }])
    // ON DELETE CASCADE: the log goes with its deal, and only with it.
    await db.query(`DELETE FROM "Deal" WHERE id = 'deal'`)
    expect((await db.query(`SELECT id FROM "DealEvent"`)).rows).toEqual([])
  })

  test('TRUNCATE is left to the owner (the test harness empties tables with it)', async () => {
    await db.query(`TRUNCATE "DealEvent", "ModerationDecision"`)
    const { rows } = await db.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM "DealEvent") + (SELECT count(*) FROM "ModerationDecision") AS count`,
    )
    expect(Number(rows[0]?.count)).toBe(0)
  })
})

describe('the outbox index covers only unprocessed rows', () => {
  test('the indexer’s query uses the partial index, which holds no processed row', async () => {
    await db.query(`
      INSERT INTO "SearchOutbox" (entity, "entityId", op, "processedAt", "updatedAt")
      SELECT 'result', 'r' || i, 'upsert', now(), now() FROM generate_series(1, 2000) AS i;
      ANALYZE "SearchOutbox"`)
    await db.query('SET enable_seqscan = off')
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT seq FROM "SearchOutbox" WHERE "processedAt" IS NULL ORDER BY seq LIMIT 100`,
    )
    expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
      'SearchOutbox_unprocessed_seq_idx',
    )
    await db.query('RESET enable_seqscan')
  })
})
