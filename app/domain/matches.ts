import type {
  MatchDeclineReason,
  MatchSide,
  MatchStatus,
  MatchVerdict,
} from '~/generated/prisma/enums'

/** Why a party may find a match unsuitable, in the order the form offers them. */
export const MATCH_DECLINE_REASONS = [
  'not_relevant',
  'too_early',
  'price',
  'route_unclear',
  'already_solved',
  'other',
] as const satisfies readonly MatchDeclineReason[]

/**
 * A match's score is relative (the engine's best candidate has full relevance), so a strong
 * match must also share enough of the telling words: on the demo market (150 needs) these
 * bounds find such a match for 100 needs, 205 pairs in all, the rest having weaker ones.
 */
export const STRONG_MATCH = { score: 0.85, terms: 3 } as const
/** At most this many strong matches per kind are announced for one newly published listing. */
export const STRONG_MATCHES_ANNOUNCED = 3

export function isStrongMatch(match: { score: number; reasons: { terms: readonly string[] } }) {
  return match.score >= STRONG_MATCH.score && match.reasons.terms.length >= STRONG_MATCH.terms
}

/** What a party may say about their listing's matches: their side, and what was said so far. */
export interface MatchVerdicts {
  side: MatchSide
  /** Verdicts given so far, by the id of the other listing of each pair. */
  given: Record<string, Partial<Record<MatchSide, MatchVerdict>>>
}

export function otherSide(side: MatchSide): MatchSide {
  return side === 'need' ? 'offer' : 'need'
}

/**
 * A match's status as its parties' verdicts make it: one refusal ends it for good, one
 * party's interest is enough to bring it to a broker. Later steps (contacted, deal) belong to
 * the deal that grows out of it and are never undone by a verdict.
 */
export function matchStatusAfterVerdicts(
  current: MatchStatus,
  verdicts: readonly MatchVerdict[],
): MatchStatus {
  if (verdicts.includes('declined')) return 'declined'
  if (current === 'contacted' || current === 'deal') return current
  return verdicts.includes('interested') ? 'interested' : 'suggested'
}
