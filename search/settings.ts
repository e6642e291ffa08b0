/**
 * The index settings of both engines, declared once: which texts are searched and how much
 * each counts, which values filter and are counted as facets, and what results sort by.
 * The embedded index reads them directly; the Meilisearch adapter turns them into its
 * settings object.
 */

/** How much a match in each text counts. */
export const SEARCH_FIELD_WEIGHTS = { title: 3, keywords: 2, body: 1 } as const
export type SearchField = keyof typeof SEARCH_FIELD_WEIGHTS
export const SEARCH_FIELDS = Object.keys(SEARCH_FIELD_WEIGHTS) as SearchField[]

export type FacetName = 'field' | 'subField' | 'region' | 'local' | 'modes' | 'trl' | 'amountBand'
/** Every facet is also a filter. */
export const FACET_NAMES: readonly FacetName[] = [
  'field',
  'subField',
  'region',
  'local',
  'modes',
  'trl',
  'amountBand',
]

export type SearchSort = 'relevance' | 'newest' | 'amount'
export const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'newest', 'amount']
/** The stored values the sorts other than relevance order by, descending. */
export const SORT_KEYS = { newest: 'publishedAt', amount: 'amount' } as const

export const MAX_PAGE_SIZE = 100
