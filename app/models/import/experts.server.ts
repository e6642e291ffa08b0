// Experts: by externalId, each at an organization named in the row.
import {
  findOrganizations,
  distinct,
  reportDuplicates,
  resolveOrganization,
  type KindWriter,
} from './references.server'
import type { RowOf } from './validate.server'
import type { TableSpec } from './write.server'

const expertSpec: TableSpec = {
  table: 'Expert',
  conflict: 'externalId',
  columns: ['name', 'title', 'orgId', 'fields', 'keywords', 'bio'],
  outbox: 'expert',
}

export const expertsWriter: KindWriter<RowOf<'experts'>> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const records: Record<string, unknown>[] = []
    for (const candidate of candidates) {
      const org = resolveOrganization(candidate, 'org', '所属单位（org）', organizations, problems)
      const { data } = candidate
      if (!data || !org) continue
      records.push({
        externalId: data.externalId ?? null,
        name: data.name,
        title: data.title ?? null,
        orgId: org.id,
        fields: data.fields,
        keywords: data.keywords,
        bio: data.bio ?? null,
      })
    }
    return [{ spec: expertSpec, records }]
  },
}
