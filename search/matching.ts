import type { DocumentKind } from './documents'
import type { HitAttributes, SearchHit } from './embedded-index'
import type { SearchEngine } from './engine'

/**
 * Matching: a need to the results and experts that could solve it, and a result or an expert
 * to the needs it could solve. The engine finds candidates for a query made of the text's
 * title, its own keywords and the words that say most about its description; the candidates
 * are then ranked again with what a broker would look at besides the words: the field, the
 * price against the budget, the maturity, whether it is local (local conversion is a goal of
 * the city) and the owner's record. Every match says why, in a typed shape the pages render.
 */

/** A need, as written by an enterprise or pasted by a visitor. */
export interface NeedProfile {
  title: string
  description: string
  /** A field ('80') or sub-field ('804'); inferred from the candidates when absent. */
  fieldCode?: string | null
  keywords?: string[]
  /** The most the enterprise will pay, in yuan. */
  budgetMax?: number | null
}

/** A result or an expert, looking for the needs it could solve. */
export interface OfferProfile {
  title: string
  text: string
  fieldCodes: string[]
  keywords: string[]
  /** A result's asking price in yuan. */
  price?: number | null
}

export type FieldFit = 'same' | 'related' | 'different' | 'unknown'
export type BudgetFit = 'within' | 'near' | 'over' | 'unknown'
export type TrlFit = 'mature' | 'pilot' | 'early'

export interface MatchReasons {
  /** The query words the candidate contains. */
  terms: string[]
  field: { code: string | null; fit: FieldFit; inferred: boolean }
  /** Price against budget; absent where neither side names an amount that applies. */
  budget?: { fit: BudgetFit; price: number | null; budget: number | null }
  locality: { local: boolean; region: string }
  /** A result's maturity, when results are matched to a need. */
  trl?: { level: number; fit: TrlFit }
  /** Technology contracts the candidate's organization has completed, when known. */
  record?: { deals: number }
  /** How close in topic the two texts are (cosine in the latent space), when the engine knows. */
  topic?: { similarity: number }
}

export interface RankedMatch {
  kind: DocumentKind
  id: string
  title: string
  orgName: string
  /** In [0, 1]: how well the candidate answers, all signals weighed. */
  score: number
  reasons: MatchReasons
}

/** How much each signal counts; signals that do not apply are left out and the rest rescaled. */
export const MATCH_WEIGHTS = {
  relevance: 0.55,
  field: 0.15,
  budget: 0.1,
  locality: 0.08,
  trl: 0.07,
  record: 0.05,
} as const

/**
 * The weight of topic similarity (latent.ts) against all the other signals together: on the
 * evaluation set this mix found more same-topic results than either part alone (README).
 */
export const TOPIC_WEIGHT = 0.3

/** Query terms of a match, the weightiest (see SearchOptions.maxTerms). */
const MATCH_QUERY_TERMS = 32
/** Candidates fetched from the engine per kind, before they are ranked again. */
const CANDIDATES = 50
/** A field is inferred when this share of the candidates' relevance lies in it. */
const INFERRED_FIELD_SHARE = 0.5
/** Words of a description that may be named as reasons. */
const TELLING_WORDS = 12
/** Completed deals at which the record counts in full. */
const FULL_RECORD_DEALS = 5

export interface MatchOptions {
  /** Matches to return per kind. */
  limit?: number
  /** Candidates never to return (declined pairs), by id. */
  exclude?: ReadonlySet<string>
  /** Completed deals per organization id, for the record signal. */
  trackRecord?: (orgIds: string[]) => Promise<Map<string, number>>
}

/**
 * The engine query for a text: its title, its keywords and its whole description, with
 * repeated words counted (the engine is asked to), so that the words a text keeps coming back
 * to weigh more, each by its inverse document frequency too: TF-IDF over the whole text. On
 * the evaluation set this beat both the text as a plain query and a query of its top TF-IDF
 * words alone (tests/eval, README).
 */
export function buildMatchQuery(text: { title: string; keywords?: string[]; description: string }) {
  return [text.title, ...(text.keywords ?? []), text.description].join('\n')
}

const fieldOf = (code: string) => code.slice(0, 2)

function fieldFit(wanted: string | null, candidate: HitAttributes): FieldFit {
  if (!wanted) return 'unknown'
  if (wanted.length > 2 && candidate.subField === wanted) return 'same'
  if (candidate.field === fieldOf(wanted)) return wanted.length > 2 ? 'related' : 'same'
  return 'different'
}

const FIELD_SCORE: Record<FieldFit, number> = { same: 1, related: 0.6, different: 0, unknown: 0.5 }

function budgetFit(price: number | null, budget: number | null): BudgetFit {
  if (price === null || budget === null) return 'unknown'
  if (price <= budget) return 'within'
  return price <= budget * 1.5 ? 'near' : 'over'
}

const BUDGET_SCORE: Record<BudgetFit, number> = { within: 1, near: 0.5, over: 0, unknown: 0.5 }

function trlFit(level: number): TrlFit {
  if (level >= 7) return 'mature'
  return level >= 5 ? 'pilot' : 'early'
}

const TRL_SCORE: Record<TrlFit, number> = { mature: 1, pilot: 0.7, early: 0.3 }

/**
 * The field most of the relevance lies in, when one clearly leads: what the text is about
 * when its author did not say.
 */
export function inferField(hits: readonly SearchHit[]): string | null {
  const weight = new Map<string, number>()
  let total = 0
  for (const hit of hits.slice(0, 20)) {
    weight.set(hit.attributes.field, (weight.get(hit.attributes.field) ?? 0) + hit.score)
    total += hit.score
  }
  const [best] = [...weight].sort((a, b) => b[1] - a[1])
  return best && total > 0 && best[1] / total >= INFERRED_FIELD_SHARE ? best[0] : null
}

interface Signals {
  relevance: number
  field: number
  budget?: number
  locality: number
  trl?: number
  record?: number
}

function combine(signals: Signals) {
  let sum = 0
  let weights = 0
  for (const [name, value] of Object.entries(signals) as [keyof Signals, number | undefined][]) {
    if (value === undefined) continue
    sum += MATCH_WEIGHTS[name] * value
    weights += MATCH_WEIGHTS[name]
  }
  return weights > 0 ? sum / weights : 0
}

async function recordsOf(hits: readonly SearchHit[], options: MatchOptions) {
  if (!options.trackRecord || hits.length === 0) return null
  return options.trackRecord([...new Set(hits.map((hit) => hit.display.orgId))])
}

/**
 * The words worth naming as a reason: the text's title and keywords, and the words that say
 * most about its description (TF-IDF). A long text matches many common words too; those
 * found the candidate but explain nothing.
 */
function tellingWords(
  engine: SearchEngine,
  text: { title: string; keywords?: string[]; description: string },
) {
  const analyzer = engine.analyzer()
  const keywords = text.keywords ?? []
  return new Set([
    ...analyzer.analyze(keywords.join(' '), { grams: false }).words,
    ...analyzer.keywords([text.title, text.description].join('\n'), TELLING_WORDS),
  ])
}

/** What ranking the candidates of one text draws on besides each hit itself. */
interface RankContext {
  telling: ReadonlySet<string>
  records: Map<string, number> | null
  topics: Map<string, number> | null
}

/** The candidates' context: telling words, organizations' records, topic similarities. */
async function rankContext(
  engine: SearchEngine,
  kind: DocumentKind,
  text: { title: string; keywords?: string[]; description: string },
  hits: readonly SearchHit[],
  options: MatchOptions,
): Promise<RankContext> {
  const [records, topics] = await Promise.all([
    recordsOf(hits, options),
    engine.similarity(
      kind,
      { title: text.title, keywords: text.keywords ?? [], body: text.description },
      hits.map((hit) => hit.id),
    ),
  ])
  return { telling: tellingWords(engine, text), records, topics }
}

function rank(
  kind: DocumentKind,
  hits: readonly SearchHit[],
  { telling, records, topics }: RankContext,
  describe: (hit: SearchHit) => {
    signals: Omit<Signals, 'relevance' | 'locality' | 'record'>
    reasons: Omit<MatchReasons, 'terms' | 'locality' | 'record'>
  },
  limit: number,
): RankedMatch[] {
  return hits
    .map((hit) => {
      const { signals, reasons } = describe(hit)
      const deals = records?.get(hit.display.orgId)
      const similarity = topics?.get(hit.id)
      const lexical = combine({
        ...signals,
        // The engine's score relative to the best candidate: on the evaluation set, adding the
        // share of query words found made the ranking worse.
        relevance: hit.score,
        locality: hit.attributes.local ? 1 : 0,
        ...(deals !== undefined ? { record: Math.min(1, deals / FULL_RECORD_DEALS) } : {}),
      })
      const score =
        similarity === undefined
          ? lexical
          : (1 - TOPIC_WEIGHT) * lexical + TOPIC_WEIGHT * Math.max(0, similarity)
      return {
        kind,
        id: hit.id,
        title: hit.display.title,
        orgName: hit.display.orgName,
        score: Math.round(score * 1000) / 1000,
        reasons: {
          terms: hit.matched.filter((term) => telling.has(term)),
          ...reasons,
          locality: { local: hit.attributes.local, region: hit.attributes.region },
          ...(deals !== undefined ? { record: { deals } } : {}),
          ...(similarity !== undefined
            ? { topic: { similarity: Math.round(Math.max(0, similarity) * 1000) / 1000 } }
            : {}),
        },
      }
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
}

/** A need → the results and the experts that could solve it, best first. */
export async function matchNeed(
  engine: SearchEngine,
  need: NeedProfile,
  options: MatchOptions = {},
): Promise<{ results: RankedMatch[]; experts: RankedMatch[] }> {
  const limit = options.limit ?? 10
  const query = buildMatchQuery(need)
  const searchOptions = {
    limit: CANDIDATES,
    facets: false,
    repeats: true,
    maxTerms: MATCH_QUERY_TERMS,
    exclude: options.exclude,
  }
  const [resultPage, expertPage] = await Promise.all([
    engine.search('result', query, searchOptions),
    engine.search('expert', query, searchOptions),
  ])
  const stated = need.fieldCode || null
  const field = stated ?? inferField(resultPage.hits)
  const budget = need.budgetMax ?? null
  const [resultContext, expertContext] = await Promise.all([
    rankContext(engine, 'result', need, resultPage.hits, options),
    rankContext(engine, 'expert', need, expertPage.hits, options),
  ])
  const fieldReason = (hit: SearchHit) => {
    const fit = fieldFit(field, hit.attributes)
    return {
      fit,
      reason: {
        code: hit.attributes.subField ?? hit.attributes.field,
        fit,
        inferred: !stated && field !== null,
      },
    }
  }
  const results = rank(
    'result',
    resultPage.hits,
    resultContext,
    (hit) => {
      const { fit, reason } = fieldReason(hit)
      const price = hit.attributes.amount
      const money = budgetFit(price, budget)
      const trl = hit.attributes.trl ?? 1
      return {
        signals: {
          field: FIELD_SCORE[fit],
          budget: BUDGET_SCORE[money],
          trl: TRL_SCORE[trlFit(trl)],
        },
        reasons: {
          field: reason,
          budget: { fit: money, price, budget },
          trl: { level: trl, fit: trlFit(trl) },
        },
      }
    },
    limit,
  )
  const experts = rank(
    'expert',
    expertPage.hits,
    expertContext,
    (hit) => {
      const { fit, reason } = fieldReason(hit)
      return { signals: { field: FIELD_SCORE[fit] }, reasons: { field: reason } }
    },
    limit,
  )
  return { results, experts }
}

/** A result or an expert → the open needs it could solve, best first. */
export async function matchOffer(
  engine: SearchEngine,
  offer: OfferProfile,
  options: MatchOptions = {},
): Promise<RankedMatch[]> {
  const limit = options.limit ?? 10
  const text = { title: offer.title, keywords: offer.keywords, description: offer.text }
  const page = await engine.search('need', buildMatchQuery(text), {
    limit: CANDIDATES,
    facets: false,
    repeats: true,
    maxTerms: MATCH_QUERY_TERMS,
    exclude: options.exclude,
  })
  const wanted = offer.fieldCodes[0] ?? null
  return rank(
    'need',
    page.hits,
    await rankContext(engine, 'need', text, page.hits, options),
    (hit) => {
      // The offer may cover several fields: the best fit of any counts.
      const fits = offer.fieldCodes.map((code) => fieldFit(code, hit.attributes))
      const fit =
        fits.sort((a, b) => FIELD_SCORE[b] - FIELD_SCORE[a])[0] ?? fieldFit(wanted, hit.attributes)
      const budget = hit.attributes.amount
      const money = offer.price === undefined ? undefined : budgetFit(offer.price, budget)
      return {
        signals: {
          field: FIELD_SCORE[fit],
          ...(money ? { budget: BUDGET_SCORE[money] } : {}),
        },
        reasons: {
          field: { code: hit.attributes.subField ?? hit.attributes.field, fit, inferred: false },
          ...(money ? { budget: { fit: money, price: offer.price ?? null, budget } } : {}),
        },
      }
    },
    limit,
  )
}
