// Checks every kind shares: values that must be unique within the file, and organizations
// named by their full name. Each runs once for the whole file, not once per row.
import type { Prisma } from '~/generated/prisma/client'

import type { ImportProblem } from './report.server'
import type { Candidate } from './validate.server'
import type { TableSpec } from './write.server'

export type Db = Prisma.TransactionClient

/** Rows ready for one upsert statement. */
export interface WriteGroup {
  spec: TableSpec
  records: Record<string, unknown>[]
}

/** The checks of one kind against the database; returns what to write when they pass. */
export interface KindWriter<T> {
  check(db: Db, candidates: Candidate<T>[], problems: ImportProblem[]): Promise<WriteGroup[]>
}

/** Reports the second and later rows that repeat a value which must be unique in the file. */
export function reportDuplicates<T>(
  candidates: Candidate<T>[],
  field: keyof T & string,
  label: string,
  problems: ImportProblem[],
) {
  const firstRow = new Map<unknown, number>()
  for (const candidate of candidates) {
    const value = candidate.fields[field]
    if (value === undefined) continue
    const first = firstRow.get(value)
    if (first === undefined) firstRow.set(value, candidate.row)
    else {
      problems.push({
        row: candidate.row,
        field,
        message: `${label}“${String(value)}”与第 ${first} 行重复`,
      })
    }
  }
}

/** The distinct text values of some fields over all rows, for one `= ANY($1)` lookup. */
export function distinct<T>(candidates: Candidate<T>[], ...fields: (keyof T)[]) {
  const values = new Set<string>()
  for (const candidate of candidates) {
    for (const field of fields) {
      const value = candidate.fields[field]
      if (typeof value === 'string') values.add(value)
    }
  }
  return [...values]
}

export interface OrgRef {
  id: string
  name: string
  regionCode: string
}

export async function findOrganizations(db: Db, names: string[]) {
  const rows = await db.$queryRawUnsafe<OrgRef[]>(
    'SELECT id, name, "regionCode" FROM "Organization" WHERE name = ANY($1::text[])',
    names,
  )
  return new Map(rows.map((row) => [row.name, row]))
}

/** Resolves an organization-name field of a row, reporting a name that does not exist. */
export function resolveOrganization<T>(
  candidate: Candidate<T>,
  field: keyof T & string,
  label: string,
  organizations: Map<string, OrgRef>,
  problems: ImportProblem[],
) {
  const name = candidate.fields[field]
  if (typeof name !== 'string') return undefined
  const org = organizations.get(name)
  if (!org) {
    problems.push({
      row: candidate.row,
      field,
      message: `${label}“${name}”不存在：请先导入该单位（orgs），名称须完全一致`,
    })
  }
  return org
}

export async function findByExternalId(db: Db, table: 'Result' | 'Need', externalIds: string[]) {
  const rows = await db.$queryRawUnsafe<{ id: string; externalId: string }[]>(
    `SELECT id, "externalId" FROM "${table}" WHERE "externalId" = ANY($1::text[])`,
    externalIds,
  )
  return new Map(rows.map((row) => [row.externalId, row.id]))
}
