import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import { TEXT_LIMITS } from '~/domain/limits'
import {
  formatImportProblems,
  importFile,
  importRows,
  type ImportKind,
  type ImportOutcome,
} from '~/models/import.server'
import { prisma } from '~/utils/db.server'

// Records with the longest real values seen: organizations as registered, papers' English
// titles, author keywords with chemical and instrument names, full-width punctuation and
// mixed scripts (tests/fixtures/real-records/).
const FIXTURES = path.resolve('tests/fixtures/real-records')
const KINDS = ['orgs', 'experts', 'results', 'needs'] as const satisfies readonly ImportKind[]

async function fixtureRows(kind: ImportKind): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(FIXTURES, `${kind}.jsonl`), 'utf8')
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

function jsonl(rows: unknown[]) {
  return {
    format: 'jsonl' as const,
    bytes: new TextEncoder().encode(rows.map((row) => JSON.stringify(row)).join('\n')),
  }
}

function expectOk(outcome: ImportOutcome) {
  if (!outcome.ok) throw new Error(formatImportProblems(outcome.problems))
  return outcome
}

async function importAllFixtures() {
  for (const kind of KINDS) {
    expectOk(await importFile(kind, path.join(FIXTURES, `${kind}.jsonl`)))
  }
}

describe('real records import whole', () => {
  test('the longest real names, titles and keywords of each kind are stored as written', async () => {
    await importAllFixtures()
    for (const kind of KINDS) {
      const rows = await fixtureRows(kind)
      const table = { orgs: 'organization', experts: 'expert', results: 'result', needs: 'need' }[
        kind
      ]
      expect(await prisma[table as 'result'].count(), kind).toBe(rows.length)
    }
    const results = await fixtureRows('results')
    const stored = await prisma.result.findUniqueOrThrow({
      where: { externalId: 'lancet-2020-99' },
      select: { title: true, keywords: true, org: { select: { name: true } } },
    })
    expect(stored.title).toBe(results[0]!.title)
    expect(stored.title.length).toBeGreaterThan(100)
    // The five keywords that once refused a university's whole file.
    expect(stored.keywords).toEqual(results[0]!.keywords)
    expect(stored.keywords).toContain('高效液相色谱法 2-(2-喹啉偶氮)-5-二乙氨基酚(QADEAP) 金属元素')
    expect(stored.org.name).toBe('中国人民解放军空军军医大学第一附属医院（西京医院）')
    const expert = await prisma.expert.findUniqueOrThrow({
      where: { externalId: 'novoselov' },
      select: { org: { select: { name: true } } },
    })
    expect(expert.org.name).toBe(
      "Xi'an Institute of Optics and Precision Mechanics, Chinese Academy of Sciences",
    )

    // Importing the same files again changes nothing.
    for (const kind of KINDS) {
      const again = expectOk(await importFile(kind, path.join(FIXTURES, `${kind}.jsonl`)))
      expect(again, kind).toMatchObject({ inserted: 0, updated: 0 })
    }
  })

  // One value one character past each limit, in an otherwise real row: refused, naming the
  // field, and nothing of the file is written.
  const past = (limit: number, seed = '长') => seed.repeat(limit + 1)
  const cases: { kind: (typeof KINDS)[number]; field: string; value: unknown; message: string }[] = [
    { kind: 'orgs', field: 'name', value: past(TEXT_LIMITS.orgName), message: '单位名称不能超过' },
    { kind: 'orgs', field: 'zone', value: past(TEXT_LIMITS.zone), message: '所在园区（zone）' },
    { kind: 'experts', field: 'name', value: past(TEXT_LIMITS.personName), message: '专家姓名' },
    { kind: 'experts', field: 'title', value: past(TEXT_LIMITS.jobTitle), message: '职称' },
    { kind: 'experts', field: 'bio', value: past(TEXT_LIMITS.expertBio), message: '个人简介' },
    {
      kind: 'experts',
      field: 'keywords',
      value: ['二维材料', past(TEXT_LIMITS.keyword, 'x')],
      message: `每个关键词不能超过 ${TEXT_LIMITS.keyword} 个字符`,
    },
    {
      kind: 'results',
      field: 'title',
      value: past(TEXT_LIMITS.listingTitle, 'a'),
      message: `成果名称（title）不能超过 ${TEXT_LIMITS.listingTitle} 个字符`,
    },
    {
      kind: 'results',
      field: 'summary',
      value: past(TEXT_LIMITS.resultSummary),
      message: '成果简介（summary）',
    },
    {
      kind: 'results',
      field: 'description',
      value: past(TEXT_LIMITS.resultDescription),
      message: '详细介绍（description）',
    },
    {
      kind: 'results',
      field: 'keywords',
      value: [past(TEXT_LIMITS.keyword, '谱')],
      message: `每个关键词不能超过 ${TEXT_LIMITS.keyword} 个字符`,
    },
    {
      kind: 'results',
      field: 'keywords',
      value: Array.from({ length: TEXT_LIMITS.keywordsPerListing + 1 }, (_, i) => `关键词${i}`),
      message: `关键词最多 ${TEXT_LIMITS.keywordsPerListing} 个`,
    },
    {
      kind: 'needs',
      field: 'title',
      value: past(TEXT_LIMITS.listingTitle),
      message: '需求名称（title）',
    },
    {
      kind: 'needs',
      field: 'description',
      value: past(TEXT_LIMITS.needDescription),
      message: '需求描述（description）',
    },
    {
      kind: 'needs',
      field: 'org',
      value: past(TEXT_LIMITS.orgName),
      message: '发布企业（org）',
    },
  ]

  test.each(cases)('$kind: $field one past its limit is refused', async (problem) => {
    await importAllFixtures()
    const before = await prisma.searchOutbox.count()
    const rows = await fixtureRows(problem.kind)
    const changed = rows.map((row, index) => ({
      ...row,
      // A new externalId: the refused row would otherwise be an update of a stored one.
      externalId: `${String(row.externalId)}-again`,
      // Organizations are also known by name: a new one needs a name of its own.
      ...(problem.kind === 'orgs' ? { name: `${String(row.name)}二` } : {}),
      ...(index === rows.length - 1 ? { [problem.field]: problem.value } : {}),
    }))
    const outcome = await importRows(problem.kind, jsonl(changed))
    expect(outcome.ok).toBe(false)
    const problems = outcome.ok ? [] : outcome.problems
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ row: rows.length })
    expect(problems[0]!.field.split(/[.[]/)[0]).toBe(problem.field)
    expect(problems[0]!.message).toContain(problem.message)
    // All or nothing: the valid rows before it were not written either.
    expect(await prisma.searchOutbox.count()).toBe(before)
    const table = { orgs: 'organization', experts: 'expert', results: 'result', needs: 'need' }[
      problem.kind
    ]
    expect(
      await prisma[table as 'result'].count({ where: { externalId: { endsWith: '-again' } } }),
    ).toBe(0)
  })
})

describe('one table of limits', () => {
  test('the database columns hold exactly what the validation lets through', async () => {
    const columns = await prisma.$queryRaw<
      { table_name: string; column_name: string; character_maximum_length: number }[]
    >`SELECT table_name::text, column_name::text, character_maximum_length::int FROM information_schema.columns
      WHERE table_schema = 'public' AND character_maximum_length IS NOT NULL`
    const lengthOf = (table: string, column: string) =>
      columns.find((row) => row.table_name === table && row.column_name === column)
        ?.character_maximum_length
    const expected: [string, string, number][] = [
      ['Result', 'title', TEXT_LIMITS.listingTitle],
      ['Need', 'title', TEXT_LIMITS.listingTitle],
      ['Deal', 'title', TEXT_LIMITS.dealTitle],
      ['Deal', 'subType', TEXT_LIMITS.contractSubType],
      ['Organization', 'name', TEXT_LIMITS.orgName],
      ['Organization', 'zone', TEXT_LIMITS.zone],
      ['Expert', 'name', TEXT_LIMITS.personName],
      ['Expert', 'title', TEXT_LIMITS.jobTitle],
      ['User', 'displayName', TEXT_LIMITS.personName],
      ['Notification', 'title', TEXT_LIMITS.notificationTitle],
      ['Notification', 'body', TEXT_LIMITS.notificationBody],
    ]
    for (const [table, column, limit] of expected) {
      expect(lengthOf(table, column), `${table}.${column}`).toBe(limit)
    }
    // Keywords are array elements, held by a CHECK with the same numbers.
    const [check] = await prisma.$queryRaw<{ definition: string }[]>`
      SELECT pg_get_constraintdef(oid)::text AS definition FROM pg_constraint
      WHERE conname::text = 'Result_keywords_check'`
    expect(check!.definition).toContain(`<= ${TEXT_LIMITS.keyword}`)
    expect(check!.definition).toContain(`<= ${TEXT_LIMITS.keywordsPerListing}`)
  })
})
