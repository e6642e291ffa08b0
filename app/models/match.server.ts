import {
  isStrongMatch,
  matchStatusAfterVerdicts,
  type MatchVerdicts,
  otherSide,
  STRONG_MATCHES_ANNOUNCED,
} from '~/domain/matches'
import { isActiveMember, type OrgActor } from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import type { MatchDeclineReason, MatchSide, MatchVerdict } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { logger } from '~/utils/logger.server'

import type { RankedMatch } from '../../search/matching'

import { publicExpertWhere } from './expert.server'
import { getExpertMatches, getNeedMatches, getResultMatches } from './matching.server'
import { publicNeedWhere } from './need.server'
import { notifyUsers } from './notification.server'
import { publicResultWhere } from './result.server'

/**
 * Matches that were stored: the strong ones announced when a listing is published, and every
 * pair a party gave a verdict on. The engine ranks afresh on each page view; these rows keep
 * what the parties said about a pair (declined pairs never come back), for brokers and tuning.
 */

/** A need and what is offered for it: a result or an expert. */
export interface MatchPair {
  needId: string
  offer: { kind: 'result' | 'expert'; id: string }
}

export interface VerdictInput {
  pair: MatchPair
  side: MatchSide
  verdict: MatchVerdict
  reason?: MatchDeclineReason
}

export type VerdictOutcome =
  | { ok: true; verdict: MatchVerdict; bothInterested: boolean; unchanged?: true }
  | { ok: false; status: 403 | 409; reason: string }

/** The pair as the Match table's columns. */
function pairColumns({ needId, offer }: MatchPair) {
  return offer.kind === 'result' ? { needId, resultId: offer.id } : { needId, expertId: offer.id }
}

function pairWhere(pair: MatchPair): Prisma.MatchWhereUniqueInput {
  return pair.offer.kind === 'result'
    ? { needId_resultId: { needId: pair.needId, resultId: pair.offer.id } }
    : { needId_expertId: { needId: pair.needId, expertId: pair.offer.id } }
}

/** Users who speak for a side of a pair: active members, or an expert's own account. */
async function partyUserIds(tx: Prisma.TransactionClient, pair: MatchPair, side: MatchSide) {
  let where: Prisma.UserWhereInput
  if (side === 'need') {
    where = { membership: 'active', org: { needs: { some: { id: pair.needId } } } }
  } else if (pair.offer.kind === 'result') {
    where = { membership: 'active', org: { results: { some: { id: pair.offer.id } } } }
  } else {
    const expert = await tx.expert.findUnique({
      where: { id: pair.offer.id },
      select: { userId: true, orgId: true },
    })
    if (!expert) return []
    // An expert with an account speaks for themselves; otherwise their institution's researchers.
    where = expert.userId
      ? { id: expert.userId }
      : { orgId: expert.orgId, membership: 'active', role: 'researcher' }
  }
  const users = await tx.user.findMany({ where, select: { id: true } })
  return users.map((user) => user.id)
}

type ListingRef = { kind: 'need' | 'result' | 'expert'; id: string }

/** The listing of a pair's side. */
function listingOf(pair: MatchPair, side: MatchSide): ListingRef {
  return side === 'need' ? { kind: 'need', id: pair.needId } : pair.offer
}

/**
 * Whether a listing is public and, with `speaker`, whether they speak for it (as partyUserIds
 * decides who is told): checked in the query. Admins act for nobody's side.
 */
export async function isPublicListingOf(listing: ListingRef, speaker: OrgActor | null) {
  const now = new Date()
  if (speaker?.role === 'admin') return false
  const activeOrg = isActiveMember(speaker) ? speaker.org.id : null
  if (speaker && listing.kind !== 'expert' && !activeOrg) return false
  const owned = speaker && activeOrg ? { orgId: activeOrg } : {}
  if (listing.kind === 'need') {
    return (
      (await prisma.need.count({ where: { id: listing.id, ...owned, ...publicNeedWhere(now) } })) >
      0
    )
  }
  if (listing.kind === 'result') {
    return (
      (await prisma.result.count({
        where: { id: listing.id, ...owned, ...publicResultWhere(now) },
      })) > 0
    )
  }
  const speakers: Prisma.ExpertWhereInput[] = speaker ? [{ userId: speaker.id }] : [{}]
  if (speaker && activeOrg && speaker.role === 'researcher') {
    speakers.push({ orgId: activeOrg, userId: null })
  }
  return (
    (await prisma.expert.count({
      where: { id: listing.id, AND: [{ OR: speakers }, publicExpertWhere()] },
    })) > 0
  )
}

/** The pair's current score and reasons as the engine ranks it for the side giving a verdict. */
async function rankPair(pair: MatchPair, side: MatchSide): Promise<RankedMatch | null> {
  // Ranked as the public sees it: the party saw this very ranking on the listing's page.
  const candidates = 50
  if (side === 'need') {
    const outcome = await getNeedMatches(pair.needId, null, candidates)
    if (outcome?.state !== 'ready') return null
    const pool = pair.offer.kind === 'result' ? outcome.results : outcome.experts
    return pool.find((match) => match.id === pair.offer.id) ?? null
  }
  const outcome =
    pair.offer.kind === 'result'
      ? await getResultMatches(pair.offer.id, null, candidates)
      : await getExpertMatches(pair.offer.id, null, candidates)
  if (outcome?.state !== 'ready') return null
  return outcome.needs.find((match) => match.id === pair.needId) ?? null
}

const pairTitlesSelect = {
  need: { select: { title: true, org: { select: { name: true } } } },
  result: { select: { title: true, org: { select: { name: true } } } },
  expert: { select: { name: true, org: { select: { name: true } } } },
} satisfies Prisma.MatchSelect

/**
 * A party's verdict on a pair: 感兴趣 tells the other party at once, 不合适 (with its reason)
 * ends the pair for good. Only someone who speaks for that side of two public listings may
 * give it; the match is stored with the score the party was shown if it was not stored yet.
 */
export async function giveMatchVerdict(
  actor: OrgActor,
  input: VerdictInput,
): Promise<VerdictOutcome> {
  const { pair, side, verdict } = input
  if (!(await isPublicListingOf(listingOf(pair, side), actor))) {
    return { ok: false, status: 403, reason: '只有已发布信息的所属单位成员可以评价这条匹配' }
  }
  if (!(await isPublicListingOf(listingOf(pair, otherSide(side)), null))) {
    return { ok: false, status: 409, reason: '对方的信息已不再公开，无法评价这条匹配' }
  }
  const stored = await prisma.match.findUnique({ where: pairWhere(pair), select: { id: true } })
  const ranked = stored ? null : await rankPair(pair, side)
  if (!stored && !ranked) {
    return { ok: false, status: 409, reason: '这条匹配已不在推荐列表中，请刷新页面后再试' }
  }
  return prisma.$transaction(async (tx): Promise<VerdictOutcome> => {
    if (ranked) {
      await tx.match.createMany({
        data: [
          {
            ...pairColumns(pair),
            score: ranked.score,
            reasons: toJson(ranked.reasons),
            source: 'engine',
          },
        ],
        skipDuplicates: true,
      })
    }
    const match = await tx.match.findUniqueOrThrow({
      where: pairWhere(pair),
      select: { id: true, status: true, ...pairTitlesSelect },
    })
    const previous = await tx.matchFeedback.findUnique({
      where: { matchId_side: { matchId: match.id, side } },
      select: { id: true, verdict: true },
    })
    if (previous?.verdict === 'declined') {
      return { ok: false, status: 409, reason: '这条匹配已标记为不合适，不再推荐' }
    }
    if (previous?.verdict === verdict) {
      return { ok: true, verdict, bothInterested: false, unchanged: true }
    }
    const data = {
      verdict,
      reason: verdict === 'declined' ? (input.reason ?? 'other') : null,
      userId: actor.id,
    }
    // Written only over the verdict read above: a colleague's verdict in between is not lost.
    const written = previous
      ? await tx.matchFeedback.updateMany({
          where: { id: previous.id, verdict: previous.verdict },
          data,
        })
      : await tx.matchFeedback.createMany({
          data: [{ matchId: match.id, side, ...data }],
          skipDuplicates: true,
        })
    if (written.count === 0) {
      return {
        ok: false,
        status: 409,
        reason: '同单位的其他成员刚刚评价了这条匹配，请刷新页面查看',
      }
    }
    const verdicts = await tx.matchFeedback.findMany({
      where: { matchId: match.id },
      select: { side: true, verdict: true },
    })
    await tx.match.update({
      where: { id: match.id },
      data: {
        status: matchStatusAfterVerdicts(
          match.status,
          verdicts.map((row) => row.verdict),
        ),
      },
      select: { id: true },
    })
    const bothInterested =
      verdicts.length === 2 && verdicts.every((row) => row.verdict === 'interested')
    if (verdict === 'interested') {
      await notifyUsers(tx, await partyUserIds(tx, pair, otherSide(side)), {
        kind: 'match_interested',
        ...describeInterest(pair, side, match, bothInterested),
      })
    }
    return { ok: true, verdict, bothInterested }
  })
}

type PairTitles = Prisma.MatchGetPayload<{ select: typeof pairTitlesSelect }>

/** What the other party is told when one side is interested: who, in what, and where to look. */
function describeInterest(pair: MatchPair, side: MatchSide, titles: PairTitles, both: boolean) {
  const offerTitle = titles.result?.title ?? `专家${titles.expert?.name ?? ''}`
  const offerOrg = titles.result?.org.name ?? titles.expert?.org.name ?? ''
  const offerPath = `${pair.offer.kind === 'result' ? '/results' : '/experts'}/${pair.offer.id}`
  const body = both ? '双方均已表示感兴趣，可以联系对方或请技术经纪人协助对接。' : null
  return side === 'need'
    ? {
        title: `${titles.need.org.name}对“${offerTitle}”感兴趣（需求“${titles.need.title}”）`,
        body,
        link: `/needs/${pair.needId}`,
      }
    : {
        title: `${offerOrg}的“${offerTitle}”对您的需求“${titles.need.title}”感兴趣`,
        body,
        link: offerPath,
      }
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue
}

/**
 * The verdicts given on a listing's matches, for a viewer who speaks for it; null for anyone
 * else (the public sees the matches, not what the parties said about them).
 */
export async function getVerdictsForViewer(
  listing: ListingRef,
  viewer: OrgActor | null,
): Promise<MatchVerdicts | null> {
  if (!viewer || !(await isPublicListingOf(listing, viewer))) return null
  const where =
    listing.kind === 'need'
      ? { needId: listing.id }
      : listing.kind === 'result'
        ? { resultId: listing.id }
        : { expertId: listing.id }
  const rows = await prisma.match.findMany({
    where,
    select: {
      needId: true,
      resultId: true,
      expertId: true,
      verdicts: { select: { side: true, verdict: true } },
    },
  })
  const given: MatchVerdicts['given'] = {}
  for (const row of rows) {
    const other = listing.kind === 'need' ? (row.resultId ?? row.expertId) : row.needId
    if (other)
      given[other] = Object.fromEntries(row.verdicts.map((entry) => [entry.side, entry.verdict]))
  }
  return { side: listing.kind === 'need' ? 'need' : 'offer', given }
}

/**
 * After a need or a result is published: its strongest matches are stored and both parties
 * told, the publisher once with the count and each matched party about their own listing.
 * Runs after the publication committed; a search engine that is not ready yet skips it (the
 * matches still show on the listing's page).
 */
export async function announceStrongMatches(kind: 'need' | 'result', id: string) {
  try {
    const outcome =
      kind === 'need' ? await getNeedMatches(id, null) : await getResultMatches(id, null)
    if (outcome === null || outcome.state !== 'ready') return 0
    const strong = (matches: RankedMatch[]) =>
      matches.filter(isStrongMatch).slice(0, STRONG_MATCHES_ANNOUNCED)
    // A published need pairs with the results and experts found; a result with the needs.
    const found =
      'needs' in outcome
        ? strong(outcome.needs).map((match) => ({
            match,
            pair: { needId: match.id, offer: { kind: 'result' as const, id } },
          }))
        : [...strong(outcome.results), ...strong(outcome.experts)].map((match) => ({
            match,
            pair: { needId: id, offer: { kind: match.kind as 'result' | 'expert', id: match.id } },
          }))
    if (found.length === 0) return 0
    return await prisma.$transaction(async (tx) => {
      const created = await tx.match.createManyAndReturn({
        data: found.map(({ match, pair }) => ({
          ...pairColumns(pair),
          score: match.score,
          reasons: toJson(match.reasons),
          source: 'engine' as const,
        })),
        skipDuplicates: true,
        select: { needId: true, resultId: true, expertId: true },
      })
      // Only pairs stored just now are announced: a pair told once is never told again.
      const fresh = found.filter(({ pair }) =>
        created.some(
          (row) => row.needId === pair.needId && (row.resultId ?? row.expertId) === pair.offer.id,
        ),
      )
      if (fresh.length === 0) return 0
      const publisherSide: MatchSide = kind === 'need' ? 'need' : 'offer'
      const published = fresh[0]!.pair
      const title = kind === 'need' ? await needTitle(tx, id) : await resultTitle(tx, id)
      const path = kind === 'need' ? `/needs/${id}` : `/results/${id}`
      await notifyUsers(tx, await partyUserIds(tx, published, publisherSide), {
        kind: 'match_suggested',
        title: `您发布的“${title}”有 ${fresh.length} 条高度匹配的推荐`,
        body: fresh.map(({ match }) => match.title).join('、'),
        link: path,
      })
      for (const { match, pair } of fresh) {
        await notifyUsers(tx, await partyUserIds(tx, pair, otherSide(publisherSide)), {
          kind: 'match_suggested',
          title: `新发布的“${title}”与您的“${match.title}”高度匹配`,
          body: `匹配度 ${Math.round(match.score * 100)}%`,
          link: path,
        })
      }
      return fresh.length
    })
  } catch (error) {
    // Publication already succeeded; the matches still show on the listing's page.
    logger.error({ err: error, kind, id }, '推送高度匹配的推荐失败')
    return 0
  }
}

async function needTitle(tx: Prisma.TransactionClient, id: string) {
  return (await tx.need.findUniqueOrThrow({ where: { id }, select: { title: true } })).title
}

async function resultTitle(tx: Prisma.TransactionClient, id: string) {
  return (await tx.result.findUniqueOrThrow({ where: { id }, select: { title: true } })).title
}
