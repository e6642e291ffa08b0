// Listings for the search benchmark, made by the demo seed generator and shaped as the
// database rows the indexer reads: every one published and unexpired, so all are indexed.
import type { ExpertRow, NeedRow, ResultRow } from '../../search/documents'
import { generateDemoData, type OrgSeed } from '../../seeds/generator'

export interface BenchListings {
  results: ResultRow[]
  needs: NeedRow[]
  experts: ExpertRow[]
}

export function generateBenchListings(counts: {
  results: number
  needs: number
  experts: number
}): BenchListings {
  const data = generateDemoData({ ...counts, deals: 0 })
  const future = new Date(Date.now() + 365 * 86_400_000)
  const orgs = new Map(data.organizations.map((org) => [org.externalId, org]))
  const orgOf = (externalId: string) => {
    const org = orgs.get(externalId) as OrgSeed
    return { id: org.externalId, name: org.name, regionCode: org.regionCode, zone: org.zone }
  }
  const expertNames = new Map(data.experts.map((expert) => [expert.externalId, expert.name]))
  const published = (index: number) => new Date(Date.UTC(2025, 0, 1) + index * 60_000)
  return {
    results: data.results.map((result, index) => ({
      id: result.externalId,
      title: result.title,
      summary: result.summary,
      description: result.description,
      fieldCode: result.fieldCode,
      keywords: result.keywords,
      trl: result.trl,
      transferModes: result.transferModes,
      askingPrice: result.askingPrice,
      status: 'published',
      expiresAt: future,
      publishedAt: published(index),
      org: orgOf(result.orgExternalId),
      leadExpert: result.leadExpertExternalId
        ? { name: expertNames.get(result.leadExpertExternalId) ?? '' }
        : null,
    })),
    needs: data.needs.map((need, index) => ({
      id: need.externalId,
      title: need.title,
      description: need.description,
      fieldCode: need.fieldCode,
      keywords: need.keywords,
      budgetMin: need.budgetMin,
      budgetMax: need.budgetMax,
      deadline: need.deadline,
      cooperationModes: need.cooperationModes,
      status: 'open',
      expiresAt: future,
      publishedAt: published(index),
      org: orgOf(need.orgExternalId),
    })),
    experts: data.experts.map((expert) => ({
      id: expert.externalId,
      name: expert.name,
      title: expert.title,
      fields: expert.fields,
      keywords: expert.keywords,
      bio: expert.bio,
      org: orgOf(expert.orgExternalId),
      createdBy: null,
    })),
  }
}
