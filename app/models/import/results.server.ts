// Results: by externalId, published at once (the importing institution vouches for them),
// with a lead expert of the same organization named by externalId or by name.
import {
  distinct,
  findOrganizations,
  reportDuplicates,
  resolveOrganization,
  type Db,
  type KindWriter,
  type OrgRef,
} from './references.server'
import type { ImportProblem } from './report.server'
import type { Candidate, RowOf } from './validate.server'
import { EXPIRES, NOW, type TableSpec } from './write.server'

const resultSpec: TableSpec = {
  table: 'Result',
  conflict: 'externalId',
  columns: [
    'title',
    'summary',
    'description',
    'fieldCode',
    'keywords',
    'trl',
    'ipType',
    'patentNos',
    'transferModes',
    'askingPrice',
    'orgId',
    'leadExpertId',
  ],
  insertOnly: {
    status: `'published'::"ResultStatus"`,
    publishedAt: NOW,
    confirmedAt: NOW,
    expiresAt: EXPIRES,
  },
  bumpVersion: true,
  outbox: 'result',
}

export const resultsWriter: KindWriter<RowOf<'results'>> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const orgOf = candidates.map((candidate) =>
      resolveOrganization(candidate, 'org', '所属单位（org）', organizations, problems),
    )
    const leadExpertOf = await resolveLeadExperts(db, candidates, orgOf, problems)
    const records: Record<string, unknown>[] = []
    candidates.forEach(({ data }, index) => {
      const org = orgOf[index]
      if (!data || !org) return
      records.push({
        externalId: data.externalId ?? null,
        title: data.title,
        summary: data.summary,
        description: data.description ?? null,
        fieldCode: data.field,
        keywords: data.keywords,
        trl: data.trl,
        ipType: data.ipType ?? null,
        patentNos: data.patentNos,
        transferModes: data.transferModes,
        askingPrice: data.askingPrice ?? null,
        orgId: org.id,
        leadExpertId: leadExpertOf[index] ?? null,
      })
    })
    return [{ spec: resultSpec, records }]
  },
}

/** A lead expert is named by externalId or by name, and must belong to the result's org. */
async function resolveLeadExperts(
  db: Db,
  candidates: Candidate<RowOf<'results'>>[],
  orgOf: (OrgRef | undefined)[],
  problems: ImportProblem[],
) {
  const references = distinct(candidates, 'leadExpert')
  const resolved: (string | undefined)[] = []
  if (references.length === 0) return resolved
  const orgIds = [...new Set(orgOf.flatMap((org) => (org ? [org.id] : [])))]
  const experts = await db.$queryRawUnsafe<
    { id: string; externalId: string | null; name: string; orgId: string }[]
  >(
    `SELECT id, "externalId", name, "orgId" FROM "Expert"
     WHERE "externalId" = ANY($1::text[])
        OR ("orgId" = ANY($2::text[]) AND name = ANY($1::text[]))`,
    references,
    orgIds,
  )
  const byExternalId = new Map(experts.map((expert) => [expert.externalId, expert]))
  const byOrgAndName = new Map<string, string[]>()
  for (const expert of experts) {
    const key = `${expert.orgId}\u0000${expert.name}`
    byOrgAndName.set(key, [...(byOrgAndName.get(key) ?? []), expert.id])
  }
  candidates.forEach((candidate, index) => {
    const reference = candidate.fields.leadExpert
    const org = orgOf[index]
    if (reference === undefined || !org) return
    const problem = (message: string) =>
      problems.push({ row: candidate.row, field: 'leadExpert', message })
    const byId = byExternalId.get(reference)
    if (byId && byId.orgId === org.id) {
      resolved[index] = byId.id
      return
    }
    const named = byOrgAndName.get(`${org.id}\u0000${reference}`) ?? []
    if (named.length === 1) resolved[index] = named[0]
    else if (named.length > 1) {
      problem(`单位“${org.name}”有 ${named.length} 位名为“${reference}”的专家，请改用其 externalId`)
    } else if (byId) {
      problem(`成果负责人（leadExpert）“${reference}”是另一家单位的专家，不属于“${org.name}”`)
    } else {
      problem(
        `成果负责人（leadExpert）“${reference}”不是“${org.name}”的专家（按 externalId 或姓名查找；请先导入专家 experts）`,
      )
    }
  })
  return resolved
}
