// Organizations: by externalId, or by name for rows without one; a row with an externalId
// adopts an organization of its name that has none yet (one registered on the site).
import { distinct, reportDuplicates, type KindWriter, type WriteGroup } from './references.server'
import type { RowOf } from './validate.server'
import type { TableSpec } from './write.server'

const organizationColumns = [
  'name',
  'kind',
  'creditCode',
  'regionCode',
  'zone',
  'highTech',
  'littleGiant',
]

const byExternalIdSpec: TableSpec = {
  table: 'Organization',
  conflict: 'externalId',
  columns: organizationColumns,
  requeueListings: true,
}
const byNameSpec: TableSpec = {
  table: 'Organization',
  conflict: 'name',
  columns: organizationColumns,
  requeueListings: true,
}
const adoptingSpec: TableSpec = {
  table: 'Organization',
  conflict: 'name',
  columns: ['externalId', ...organizationColumns],
  requeueListings: true,
}

export const orgsWriter: KindWriter<RowOf<'orgs'>> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    reportDuplicates(candidates, 'name', '单位名称（name）', problems)
    reportDuplicates(candidates, 'creditCode', '统一社会信用代码（creditCode）', problems)
    const existing = await db.$queryRawUnsafe<
      { id: string; externalId: string | null; name: string; creditCode: string | null }[]
    >(
      `SELECT id, "externalId", name, "creditCode" FROM "Organization"
       WHERE "externalId" = ANY($1::text[]) OR name = ANY($2::text[])
          OR "creditCode" = ANY($3::text[])`,
      distinct(candidates, 'externalId'),
      distinct(candidates, 'name'),
      distinct(candidates, 'creditCode'),
    )
    const byExternalId = new Map(existing.map((org) => [org.externalId, org]))
    const byName = new Map(existing.map((org) => [org.name, org]))
    const byCreditCode = new Map(existing.map((org) => [org.creditCode, org]))
    const describe = (org: { externalId: string | null }) =>
      org.externalId ? `externalId 为“${org.externalId}”` : '无 externalId'
    const targetRow = new Map<string, number>()
    const byKey: WriteGroup = { spec: byExternalIdSpec, records: [] }
    const byNameGroup: WriteGroup = { spec: byNameSpec, records: [] }
    const adopting: WriteGroup = { spec: adoptingSpec, records: [] }

    for (const candidate of candidates) {
      const { externalId, name, creditCode } = candidate.fields
      // Rows with an externalId update the organization that has it; rows without one update
      // the organization of the same name. Names are unique, so an organization of the same
      // name that has no externalId yet (one registered on the site) is the same one: the row
      // adopts it and gives it the externalId.
      const named = name !== undefined ? byName.get(name) : undefined
      const keyed = externalId !== undefined ? byExternalId.get(externalId) : undefined
      const target =
        externalId === undefined
          ? named
          : (keyed ?? (named?.externalId === null ? named : undefined))
      if (target) {
        const first = targetRow.get(target.id)
        if (first !== undefined) {
          problems.push({
            row: candidate.row,
            field: externalId !== undefined ? 'externalId' : 'name',
            message: `与第 ${first} 行指向同一个已有单位“${target.name}”`,
          })
        } else targetRow.set(target.id, candidate.row)
      }
      if (named && named.id !== target?.id) {
        problems.push({
          row: candidate.row,
          field: 'name',
          message: `单位名称（name）“${name}”已被另一家单位（${describe(named)}）使用`,
        })
      }
      const codeOwner = creditCode !== undefined ? byCreditCode.get(creditCode) : undefined
      if (codeOwner && codeOwner.id !== target?.id) {
        problems.push({
          row: candidate.row,
          field: 'creditCode',
          message: `统一社会信用代码（creditCode）“${creditCode}”已属于单位“${codeOwner.name}”`,
        })
      }

      const { data } = candidate
      if (!data) continue
      const group = !data.externalId ? byNameGroup : target && !keyed ? adopting : byKey
      group.records.push({
        externalId: data.externalId ?? null,
        name: data.name,
        kind: data.kind,
        creditCode: data.creditCode ?? null,
        regionCode: data.regionCode,
        zone: data.zone ?? null,
        highTech: data.highTech ?? false,
        littleGiant: data.littleGiant ?? false,
      })
    }
    return [byKey, byNameGroup, adopting]
  },
}
