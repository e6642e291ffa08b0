import { LOCAL_CITY_PREFIX } from '~/domain/constants'
import { listingRules } from '~/domain/listing-rules'
import { isPublicExpertProfile } from '~/domain/membership'
import { getFieldName, subFields } from '~/domain/reference'

/**
 * What reaches a search index: public listings only, public fields only, and the computed
 * fields the facets and the ranking need. The database stays the truth; a document is made
 * anew from its row whenever the row changes.
 */

interface OrgOfRow {
  id: string
  name: string
  regionCode: string
  zone: string | null
}

export interface ResultRow {
  id: string
  title: string
  summary: string
  description: string | null
  fieldCode: string
  keywords: string[]
  trl: number
  transferModes: string[]
  askingPrice: number | null
  status: string
  expiresAt: Date | null
  publishedAt: Date | null
  org: OrgOfRow
  leadExpert: { name: string } | null
}

export interface NeedRow {
  id: string
  title: string
  description: string
  fieldCode: string
  keywords: string[]
  budgetMin: number | null
  budgetMax: number | null
  deadline: Date | null
  cooperationModes: string[]
  status: string
  expiresAt: Date | null
  publishedAt: Date | null
  org: OrgOfRow
}

export interface ExpertRow {
  id: string
  name: string
  title: string | null
  fields: string[]
  keywords: string[]
  bio: string | null
  org: OrgOfRow
  createdBy: { membership: 'active' | 'pending' | null } | null
}

/** The texts an engine searches, by weight class (see SEARCH_FIELD_WEIGHTS). */
export interface SearchableText {
  title: string
  /** Keywords and the names of the fields, each analysed as a whole phrase. */
  keywords: string[]
  body: string
}

/** Values a search may be filtered and counted by. */
export interface DocumentFacets {
  /** The top-level high-tech field code ('80') and the sub-field code ('804'). */
  field: string
  subField: string | null
  region: string
  local: boolean
  modes: string[]
  /** Results: the TRL; needs and experts: null. */
  trl: number | null
  /** A band of the asking price or the budget (see AMOUNT_BANDS), or 'negotiable'. */
  amountBand: AmountBand | null
}

export type DocumentKind = 'result' | 'need' | 'expert'
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['result', 'need', 'expert']

export interface SearchDocument {
  kind: DocumentKind
  id: string
  text: SearchableText
  facets: DocumentFacets
  /** Sort keys: publication time (ms) and the amount (yuan) where there is one. */
  sort: { publishedAt: number; amount: number | null }
  /** What a hit shows without another trip to the database. */
  display: SearchDisplay
}

export interface SearchDisplay {
  title: string
  snippet: string
  orgId: string
  orgName: string
}

/** Amount bands in yuan, lower bound inclusive; shown as 万元 ranges in the UI. */
export const AMOUNT_BANDS = [
  { band: 'under-10w', min: 0, max: 100_000 },
  { band: '10w-50w', min: 100_000, max: 500_000 },
  { band: '50w-100w', min: 500_000, max: 1_000_000 },
  { band: '100w-500w', min: 1_000_000, max: 5_000_000 },
  { band: 'over-500w', min: 5_000_000, max: Infinity },
] as const

export type AmountBand = (typeof AMOUNT_BANDS)[number]['band'] | 'negotiable'

export function getAmountBand(amount: number | null): AmountBand {
  if (amount === null) return 'negotiable'
  return AMOUNT_BANDS.find((band) => amount >= band.min && amount < band.max)?.band ?? 'over-500w'
}

/** The facets every kind shares: where in the field tree it sits and where its owner is. */
function placeFacets(fieldCode: string, org: OrgOfRow) {
  return {
    field: subFields.find((subField) => subField.code === fieldCode)?.fieldCode ?? fieldCode,
    subField: fieldCode.length > 2 ? fieldCode : null,
    region: org.regionCode,
    local: org.regionCode.startsWith(LOCAL_CITY_PREFIX),
  }
}

function isPublic(
  status: string,
  liveStatuses: readonly string[],
  expiresAt: Date | null,
  now: Date,
) {
  return liveStatuses.includes(status) && expiresAt !== null && expiresAt > now
}

/** Keywords, and the names of the fields: a search for 新材料 finds what is filed there. */
function keywordText(keywords: string[], fieldCodes: string[]) {
  return [...keywords, ...fieldCodes.flatMap((code) => getFieldName(code) ?? [])]
}

function snippetOf(text: string) {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}

/** A published, unexpired result as the index sees it; null for any other row. */
export function toResultDocument(row: ResultRow, now = new Date()): SearchDocument | null {
  if (!isPublic(row.status, listingRules.result.liveStatuses, row.expiresAt, now)) return null
  return {
    kind: 'result',
    id: row.id,
    text: {
      title: row.title,
      keywords: keywordText(row.keywords, [row.fieldCode]),
      body: [row.summary, row.description ?? '', row.org.name, row.leadExpert?.name ?? ''].join(
        '\n',
      ),
    },
    facets: {
      ...placeFacets(row.fieldCode, row.org),
      modes: row.transferModes,
      trl: row.trl,
      amountBand: getAmountBand(row.askingPrice),
    },
    sort: { publishedAt: row.publishedAt?.getTime() ?? 0, amount: row.askingPrice },
    display: {
      title: row.title,
      snippet: snippetOf(row.summary),
      orgId: row.org.id,
      orgName: row.org.name,
    },
  }
}

/** An open, unexpired need; the budget's upper bound decides its band. */
export function toNeedDocument(row: NeedRow, now = new Date()): SearchDocument | null {
  if (!isPublic(row.status, listingRules.need.liveStatuses, row.expiresAt, now)) return null
  const budget = row.budgetMax ?? row.budgetMin
  return {
    kind: 'need',
    id: row.id,
    text: {
      title: row.title,
      keywords: keywordText(row.keywords, [row.fieldCode]),
      body: [row.description, row.org.name].join('\n'),
    },
    facets: {
      ...placeFacets(row.fieldCode, row.org),
      modes: row.cooperationModes,
      trl: null,
      amountBand: getAmountBand(budget),
    },
    sort: { publishedAt: row.publishedAt?.getTime() ?? 0, amount: budget },
    display: {
      title: row.title,
      snippet: snippetOf(row.description),
      orgId: row.org.id,
      orgName: row.org.name,
    },
  }
}

/** A public expert profile (see isPublicExpertProfile); its first field is its facet. */
export function toExpertDocument(row: ExpertRow): SearchDocument | null {
  if (!isPublicExpertProfile(row.createdBy)) return null
  const firstField = row.fields[0] ?? ''
  return {
    kind: 'expert',
    id: row.id,
    text: {
      title: [row.name, row.title ?? ''].join(' ').trim(),
      keywords: keywordText(row.keywords, row.fields),
      body: [row.bio ?? '', row.org.name].join('\n'),
    },
    facets: {
      ...placeFacets(firstField, row.org),
      modes: [],
      trl: null,
      amountBand: null,
    },
    sort: { publishedAt: 0, amount: null },
    display: {
      title: row.name,
      snippet: snippetOf(row.bio ?? row.keywords.join('、')),
      orgId: row.org.id,
      orgName: row.org.name,
    },
  }
}
