import type { AnalyzedText, Analyzer } from './analyzer'
import { SEARCH_FIELD_WEIGHTS, type DocumentFacets, type SearchDocument } from './documents'

/**
 * The embedded engine's index of one kind of document: BM25 over weighted fields, postings
 * in typed arrays that grow in place, deletions as a tombstone array, filters and facet
 * counts from per-document columns. Built for 100,000 listings in one process: a query
 * touches only the postings of its own terms.
 */

const K1 = 1.2
const B = 0.75
/** Character pairs find words inside longer words, but a whole word is the better match. */
const GRAM_WEIGHT = 0.3
const PINYIN_WEIGHT = 1
/** Queries with more character pairs than this are looked up by their words alone. */
const MAX_QUERY_GRAMS = 8
/** Terms a typed prefix may stand for, the most frequent first. */
const PREFIX_EXPANSIONS = 30

export type FacetName = 'field' | 'region' | 'local' | 'modes' | 'trl' | 'amountBand'
export const FACET_NAMES: readonly FacetName[] = [
  'field',
  'region',
  'local',
  'modes',
  'trl',
  'amountBand',
]

export interface SearchFilters {
  field?: string
  subField?: string
  region?: string
  local?: boolean
  mode?: string
  trlMin?: number
  amountBand?: string
}

export interface SearchOptions {
  filters?: SearchFilters
  /** 'relevance' (the default; newest first when there is no query), 'newest' or 'amount'. */
  sort?: 'relevance' | 'newest' | 'amount'
  offset?: number
  limit?: number
  /** Treat the last query word as the start of a word (search as you type). */
  prefix?: boolean
}

export interface SearchHit {
  id: string
  score: number
  /** The query terms this document contains, for highlighting and match reasons. */
  matched: string[]
}

export interface SearchPage {
  hits: SearchHit[]
  total: number
  facets: Record<FacetName, Record<string, number>>
}

class Postings {
  docs = new Uint32Array(4)
  weights = new Float32Array(4)
  length = 0

  /** Documents are numbered as they are added, so each list is in ascending order. */
  includes(doc: number) {
    let low = 0
    let high = this.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.docs[middle]! < doc) low = middle + 1
      else high = middle
    }
    return low < this.length && this.docs[low] === doc
  }

  push(doc: number, weight: number) {
    if (this.length === this.docs.length) {
      const docs = new Uint32Array(this.length * 2)
      docs.set(this.docs)
      this.docs = docs
      const weights = new Float32Array(this.length * 2)
      weights.set(this.weights)
      this.weights = weights
    }
    this.docs[this.length] = doc
    this.weights[this.length] = weight
    this.length += 1
  }
}

export function createEmbeddedIndex(analyzer: Analyzer) {
  const postings = new Map<string, Postings>()
  const ids: string[] = []
  const docOf = new Map<string, number>()
  const facetsOf: DocumentFacets[] = []
  const sortOf: SearchDocument['sort'][] = []
  let lengths = new Float32Array(1024)
  let alive = new Uint8Array(1024)
  let aliveCount = 0
  let totalLength = 0
  /** Sorted terms for prefix look-ups; rebuilt lazily after additions. */
  let sortedTerms: string[] | null = null

  const grow = (size: number) => {
    if (size <= alive.length) return
    const nextSize = Math.max(size, alive.length * 2)
    const nextLengths = new Float32Array(nextSize)
    nextLengths.set(lengths)
    lengths = nextLengths
    const nextAlive = new Uint8Array(nextSize)
    nextAlive.set(alive)
    alive = nextAlive
  }

  const remove = (id: string) => {
    const doc = docOf.get(id)
    if (doc === undefined) return false
    docOf.delete(id)
    alive[doc] = 0
    aliveCount -= 1
    totalLength -= lengths[doc]!
    return true
  }

  const add = (document: SearchDocument) => {
    remove(document.id)
    const doc = ids.length
    ids.push(document.id)
    facetsOf.push(document.facets)
    sortOf.push(document.sort)
    grow(doc + 1)
    const weighted = new Map<string, number>()
    const count = (terms: string[], weight: number) => {
      for (const term of terms) weighted.set(term, (weighted.get(term) ?? 0) + weight)
      return terms.length * weight
    }
    let length = 0
    for (const field of ['title', 'keywords', 'body'] as const) {
      // Titles and keywords get pinyin keys and character pairs; a description's words come
      // from jieba's search mode, which already yields the words inside its longer words,
      // and its pairs would be most of the index for little gain.
      const short = field !== 'body'
      const analyzed: AnalyzedText = analyzer.analyze(document.text[field], {
        pinyin: short,
        grams: short,
      })
      length += count(analyzed.words, SEARCH_FIELD_WEIGHTS[field])
      length += count(analyzed.grams, GRAM_WEIGHT * SEARCH_FIELD_WEIGHTS[field])
      length += count(analyzed.pinyin, PINYIN_WEIGHT)
    }
    for (const [term, weight] of weighted) {
      let list = postings.get(term)
      if (!list) {
        list = new Postings()
        postings.set(term, list)
        sortedTerms = null
      }
      list.push(doc, weight)
    }
    lengths[doc] = length
    alive[doc] = 1
    aliveCount += 1
    totalLength += length
    docOf.set(document.id, doc)
  }

  const passes = (doc: number, filters: SearchFilters) => {
    const facets = facetsOf[doc]!
    if (filters.field !== undefined && facets.field !== filters.field) return false
    if (filters.subField !== undefined && facets.subField !== filters.subField) return false
    if (filters.region !== undefined && facets.region !== filters.region) return false
    if (filters.local !== undefined && facets.local !== filters.local) return false
    if (filters.mode !== undefined && !facets.modes.includes(filters.mode)) return false
    if (filters.trlMin !== undefined && (facets.trl ?? 0) < filters.trlMin) return false
    if (filters.amountBand !== undefined && facets.amountBand !== filters.amountBand) return false
    return true
  }

  const expandPrefix = (prefix: string) => {
    sortedTerms ??= [...postings.keys()].sort()
    let low = 0
    let high = sortedTerms.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (sortedTerms[middle]! < prefix) low = middle + 1
      else high = middle
    }
    const found: string[] = []
    for (let index = low; index < sortedTerms.length; index += 1) {
      const term = sortedTerms[index]!
      if (!term.startsWith(prefix)) break
      found.push(term)
    }
    return found
      .sort((a, b) => postings.get(b)!.length - postings.get(a)!.length)
      .slice(0, PREFIX_EXPANSIONS)
  }

  /** The distinct terms of a query, each with how much it counts. */
  const queryTerms = (query: string, prefix: boolean) => {
    const analyzed = analyzer.analyze(query)
    const terms = new Map<string, number>()
    for (const word of analyzed.words) terms.set(word, 1)
    // Character pairs are for finding a short word inside longer ones; a long query has
    // words enough, and its pairs would touch nearly every document.
    if (analyzed.grams.length <= MAX_QUERY_GRAMS) {
      for (const gram of analyzed.grams) if (!terms.has(gram)) terms.set(gram, GRAM_WEIGHT)
    }
    const last = analyzer.normalize(query).trim().split(/\s+/).at(-1)
    if (prefix && last && /^[\p{Script=Han}a-z0-9]+$/u.test(last)) {
      for (const term of expandPrefix(last)) if (!terms.has(term)) terms.set(term, 0.5)
    }
    return terms
  }

  return {
    add,
    remove,
    get size() {
      return aliveCount
    },
    has(id: string) {
      return docOf.has(id)
    },

    search(query: string, options: SearchOptions = {}): SearchPage {
      const filters = options.filters ?? {}
      const limit = Math.max(0, Math.min(options.limit ?? 10, 100))
      const offset = Math.max(0, options.offset ?? 0)
      const terms = queryTerms(query, options.prefix ?? false)
      const scores = new Float32Array(ids.length)
      const touched: number[] = []
      const averageLength = aliveCount > 0 ? totalLength / aliveCount : 1

      if (terms.size === 0) {
        // No query: every live document that passes the filters, newest first.
        for (let doc = 0; doc < ids.length; doc += 1) {
          if (alive[doc] && passes(doc, filters)) touched.push(doc)
        }
      } else {
        for (const [term, queryWeight] of terms) {
          const list = postings.get(term)
          if (!list) continue
          const idf = Math.log(1 + (aliveCount - list.length + 0.5) / (list.length + 0.5))
          for (let index = 0; index < list.length; index += 1) {
            const doc = list.docs[index]!
            if (!alive[doc]) continue
            const frequency = list.weights[index]!
            const norm = K1 * (1 - B + (B * lengths[doc]!) / averageLength)
            const score = scores[doc]!
            if (score === 0) {
              if (!passes(doc, filters)) continue
              touched.push(doc)
            }
            scores[doc] = score + (queryWeight * idf * frequency * (K1 + 1)) / (frequency + norm)
          }
        }
      }

      const facets = Object.fromEntries(
        FACET_NAMES.map((name) => [name, {} as Record<string, number>]),
      ) as SearchPage['facets']
      const tally = (name: FacetName, value: string) => {
        facets[name][value] = (facets[name][value] ?? 0) + 1
      }
      for (const doc of touched) {
        const values = facetsOf[doc]!
        tally('field', values.field)
        tally('region', values.region)
        tally('local', values.local ? 'true' : 'false')
        for (const mode of values.modes) tally('modes', mode)
        if (values.trl !== null) tally('trl', String(values.trl))
        if (values.amountBand !== null) tally('amountBand', values.amountBand)
      }

      const sort = options.sort ?? 'relevance'
      const newest = (a: number, b: number) => sortOf[b]!.publishedAt - sortOf[a]!.publishedAt
      const compare =
        sort === 'newest' || (sort === 'relevance' && terms.size === 0)
          ? newest
          : sort === 'amount'
            ? (a: number, b: number) =>
                (sortOf[b]!.amount ?? -1) - (sortOf[a]!.amount ?? -1) || newest(a, b)
            : (a: number, b: number) => scores[b]! - scores[a]! || newest(a, b)
      const page = selectTop(touched, offset + limit, compare).slice(offset)
      const best = page.length > 0 ? Math.max(...touched.map((doc) => scores[doc]!)) : 0
      return {
        hits: page.map((doc) => ({
          id: ids[doc]!,
          score: best > 0 ? scores[doc]! / best : 0,
          // Whole words explain a match; character pairs and pinyin keys only find it.
          matched: [...terms]
            .filter(([term, weight]) => weight === 1 && postings.get(term)?.includes(doc))
            .map(([term]) => term),
        })),
        total: touched.length,
        facets,
      }
    },
  }
}

export type EmbeddedIndex = ReturnType<typeof createEmbeddedIndex>

/**
 * The first `count` items in `compare` order without sorting them all: a bounded max-heap
 * of the best so far (its root is the worst of them), then one sort of what it keeps.
 */
function selectTop(items: number[], count: number, compare: (a: number, b: number) => number) {
  if (count <= 0) return []
  if (items.length <= count) return [...items].sort(compare)
  const heap: number[] = []
  const worse = (a: number, b: number) => compare(a, b) > 0
  const siftUp = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!worse(heap[index]!, heap[parent]!)) break
      ;[heap[index], heap[parent]] = [heap[parent]!, heap[index]!]
      index = parent
    }
  }
  const siftDown = (index: number) => {
    for (;;) {
      const left = index * 2 + 1
      const right = left + 1
      let largest = index
      if (left < heap.length && worse(heap[left]!, heap[largest]!)) largest = left
      if (right < heap.length && worse(heap[right]!, heap[largest]!)) largest = right
      if (largest === index) return
      ;[heap[index], heap[largest]] = [heap[largest]!, heap[index]!]
      index = largest
    }
  }
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item)
      siftUp(heap.length - 1)
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item
      siftDown(0)
    }
  }
  return heap.sort(compare)
}
