// Needs: by externalId, opened at once, posted by an organization named in the row.
import {
  distinct,
  findOrganizations,
  reportDuplicates,
  resolveOrganization,
  type KindWriter,
} from './references.server'
import type { RowOf } from './validate.server'
import { EXPIRES, NOW, toChinaDate, type TableSpec } from './write.server'

const needSpec: TableSpec = {
  table: 'Need',
  conflict: 'externalId',
  columns: [
    'title',
    'description',
    'fieldCode',
    'keywords',
    'budgetMin',
    'budgetMax',
    'deadline',
    'cooperationModes',
    'orgId',
  ],
  insertOnly: {
    status: `'open'::"NeedStatus"`,
    publishedAt: NOW,
    confirmedAt: NOW,
    expiresAt: EXPIRES,
  },
  bumpVersion: true,
  outbox: 'need',
}

export const needsWriter: KindWriter<RowOf<'needs'>> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const records: Record<string, unknown>[] = []
    for (const candidate of candidates) {
      const org = resolveOrganization(candidate, 'org', '发布企业（org）', organizations, problems)
      const { data } = candidate
      if (!data || !org) continue
      records.push({
        externalId: data.externalId ?? null,
        title: data.title,
        description: data.description,
        fieldCode: data.field,
        keywords: data.keywords,
        budgetMin: data.budgetMin ?? null,
        budgetMax: data.budgetMax ?? null,
        deadline: toChinaDate(data.deadline),
        cooperationModes: data.cooperationModes,
        orgId: org.id,
      })
    }
    return [{ spec: needSpec, records }]
  },
}
