import type { OrgActor } from '~/domain/membership'
import { prisma } from '~/utils/db.server'

import type { SearchEngine } from '../../search/engine'
import {
  matchNeed,
  matchOffer,
  type NeedProfile,
  type OfferProfile,
  type RankedMatch,
} from '../../search/matching'

import { getExpertProfile } from './expert.server'
import { getNeedForViewer } from './need.server'
import { getResultForViewer } from './result.server'
import { readySearchHost, type SearchUnavailable } from './search.server'

/**
 * Matches as the pages and the API ask for them: the search host's engine finds and ranks,
 * the database adds what only it knows (organizations' completed deals, pairs a party has
 * declined). Who may see a listing's matches is who may see the listing.
 */

export type MatchOutcome<T> = ({ state: 'ready' } & T) | SearchUnavailable

/** Completed technology contracts per organization, as seller or buyer. */
async function completedDeals(orgIds: string[]) {
  const rows = await prisma.$queryRaw<{ orgId: string; deals: bigint }[]>`
    SELECT "orgId", count(*) AS deals FROM (
      SELECT "sellerOrgId" AS "orgId" FROM "Deal" WHERE status = 'completed'
        AND "sellerOrgId" = ANY(${orgIds})
      UNION ALL
      SELECT "buyerOrgId" FROM "Deal" WHERE status = 'completed' AND "buyerOrgId" = ANY(${orgIds})
    ) AS parties GROUP BY "orgId"`
  const deals = new Map(orgIds.map((id) => [id, 0]))
  for (const row of rows) deals.set(row.orgId, Number(row.deals))
  return deals
}

async function withEngine<T>(work: (engine: SearchEngine) => Promise<T>): Promise<MatchOutcome<T>> {
  const available = readySearchHost()
  if (available.state !== 'ready') return available
  try {
    return { state: 'ready', ...(await work(available.host.engine)) }
  } catch {
    return { state: 'unavailable' }
  }
}

/** A need that is only text (pasted by a visitor, or sent to the API). */
export function matchNeedText(need: NeedProfile, limit = 10) {
  return withEngine((engine) => matchNeed(engine, need, { limit, trackRecord: completedDeals }))
}

/** Candidates a party of the need has declined: they never come back. */
async function declinedFor(where: { needId?: string; resultId?: string; expertId?: string }) {
  const rows = await prisma.match.findMany({
    where: { ...where, status: 'declined' },
    select: { needId: true, resultId: true, expertId: true },
  })
  return new Set(
    rows.flatMap((row) => (where.needId ? [row.resultId, row.expertId] : [row.needId])),
  ) as Set<string>
}

const amount = (value: { toString(): string } | null) => (value === null ? null : Number(value))

/** A need's ranked results and experts, or null when the viewer may not see the need. */
export async function getNeedMatches(needId: string, viewer: OrgActor | null, limit = 10) {
  const need = await getNeedForViewer(needId, viewer)
  if (!need) return null
  const exclude = await declinedFor({ needId })
  return withEngine((engine) =>
    matchNeed(
      engine,
      {
        title: need.title,
        description: need.description,
        fieldCode: need.fieldCode,
        keywords: need.keywords,
        budgetMax: amount(need.budgetMax),
      },
      { limit, exclude, trackRecord: completedDeals },
    ),
  )
}

async function needsFor(
  offer: OfferProfile,
  where: { resultId?: string; expertId?: string },
  limit: number,
) {
  const exclude = await declinedFor(where)
  return withEngine(async (engine) => ({
    needs: await matchOffer(engine, offer, { limit, exclude, trackRecord: completedDeals }),
  }))
}

/** The open needs a result could solve, or null when the viewer may not see the result. */
export async function getResultMatches(resultId: string, viewer: OrgActor | null, limit = 10) {
  const result = await getResultForViewer(resultId, viewer)
  if (!result) return null
  return needsFor(
    {
      title: result.title,
      text: [result.summary, result.description ?? ''].join('\n'),
      fieldCodes: [result.fieldCode],
      keywords: result.keywords,
      price: amount(result.askingPrice),
    },
    { resultId },
    limit,
  )
}

/** The open needs an expert could help with, or null when the profile is not visible. */
export async function getExpertMatches(expertId: string, viewer: OrgActor | null, limit = 10) {
  const expert = await getExpertProfile(expertId, viewer)
  if (!expert) return null
  return needsFor(
    {
      title: expert.name,
      text: [expert.title ?? '', expert.bio ?? ''].join('\n'),
      fieldCodes: expert.fields,
      keywords: expert.keywords,
    },
    { expertId },
    limit,
  )
}

export type { RankedMatch }
