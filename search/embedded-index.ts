import type { Analyzer } from './analyzer'
import type { DocumentFacets, SearchDisplay, SearchDocument } from './documents'
import { cosine, foldIn, storeVector, type SegmentLatent } from './latent'
import {
  addPosting,
  emptySegment,
  FREQUENCY_UNIT,
  GRAM_WEIGHT,
  mergeSegments,
  segmentOf,
  visitTerms,
  type PostingList,
  type Segment,
} from './segment'
import { FACET_NAMES, MAX_PAGE_SIZE, type FacetName, type SearchSort } from './settings'

/**
 * The embedded engine's index of one kind of document: BM25 over weighted fields. Postings
 * live in a base segment (typed arrays, built in bulk or loaded from a snapshot) and, for
 * documents added since, in short per-term tails that are folded into a new base once they
 * grow. Facet and sort values are typed columns indexed by document number; deletions are a
 * tombstone column. A query touches only the postings of its own terms and reuses its scratch
 * arrays, so it allocates next to nothing however many documents match.
 */

const K1 = 1.2
const B = 0.75
const PREFIX_WEIGHT = 0.5
const PART_WEIGHT = 0.5
/** Queries with more character pairs than this are looked up by their words alone. */
const MAX_QUERY_GRAMS = 8
/** Terms a typed prefix may stand for, the most frequent first, out of the first scanned. */
const PREFIX_EXPANSIONS = 30
const PREFIX_SCAN = 2_000
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
  sort?: SearchSort
  offset?: number
  limit?: number
  /** Treat the last query word as the start of a word (search as you type). */
  prefix?: boolean
  /** Count facet values over every match (the default); matching has no use for them. */
  facets?: boolean
  /** Documents never to return (a need's declined matches). */
  exclude?: ReadonlySet<string>
  /**
   * Let a word said several times in the query weigh more (1 + ln n): for a long text used as
   * a query, where repetition says what it is about.
   */
  repeats?: boolean
  /**
   * Look up at most this many query terms, those that weigh most (query weight × IDF): for a
   * long text as a query, whose commonest words would touch most documents and decide little.
   */
  maxTerms?: number
}

export interface SearchHit {
  id: string
  /** Relevance relative to the best match of the query, in [0, 1]. */
  score: number
  /** The BM25 score itself, for callers that weigh it against other signals. */
  rawScore: number
  /** The query words this document contains, for highlighting and match reasons. */
  matched: string[]
  display: SearchDisplay
  /** Facet and sort values of the document, for re-ranking and match reasons. */
  attributes: HitAttributes
}

export interface HitAttributes {
  field: string
  subField: string | null
  region: string
  local: boolean
  trl: number | null
  amount: number | null
}

export type FacetCounts = Record<FacetName, Record<string, number>>

export interface SearchPage {
  hits: SearchHit[]
  total: number
  facets: FacetCounts
}

/** A document as the index keeps it once its text is analysed. */
export type IndexedDocument = Omit<SearchDocument, 'text' | 'kind'>

type CodedFacet = 'field' | 'subField' | 'region' | 'modes' | 'amountBand'
const CODED_FACETS: readonly CodedFacet[] = ['field', 'subField', 'region', 'modes', 'amountBand']

/** Everything an index is, as plain values and typed arrays: what a snapshot stores. */
export interface IndexState {
  segment: Segment
  ids: (string | null)[]
  displays: (SearchDisplay | null)[]
  /** Each facet's values by code; code 0 means none. */
  values: Record<CodedFacet, string[]>
  columns: Columns
  /**
   * The latent space learned by the build (learnSegmentLatent), with every document's vector;
   * documents added since are folded into it.
   */
  latent?: SegmentLatent | null
}

interface Columns {
  field: Uint16Array
  subField: Uint16Array
  region: Uint16Array
  /** 0 unknown, 1 not local, 2 local. */
  local: Uint8Array
  /** One bit per mode code (at most 16 modes). */
  modes: Uint16Array
  /** 0 when the kind has no TRL. */
  trl: Uint8Array
  amountBand: Uint8Array
  publishedAt: Float64Array
  /** NaN when there is no amount. */
  amount: Float64Array
  length: Float32Array
  alive: Uint8Array
}

type Column = Columns[keyof Columns]

function createColumns(size: number): Columns {
  return {
    field: new Uint16Array(size),
    subField: new Uint16Array(size),
    region: new Uint16Array(size),
    local: new Uint8Array(size),
    modes: new Uint16Array(size),
    trl: new Uint8Array(size),
    amountBand: new Uint8Array(size),
    publishedAt: new Float64Array(size),
    amount: new Float64Array(size),
    length: new Float32Array(size),
    alive: new Uint8Array(size),
  }
}

function resized<T extends Column>(array: T, size: number): T {
  const next = new (array.constructor as new (length: number) => T)(size)
  next.set(array.subarray(0, Math.min(size, array.length)) as never)
  return next
}

type Latent = NonNullable<IndexState['latent']>

/** The latent vectors with a place for every document number below `capacity`. */
function withRoom(latent: Latent | null, capacity: number): Latent | null {
  if (!latent || latent.vectors.length >= capacity * latent.space.dimensions) return latent
  const vectors = new Int8Array(capacity * latent.space.dimensions)
  vectors.set(latent.vectors)
  return { ...latent, vectors }
}

/** Folding tails into the base costs a pass over every posting: worth it once they are many. */
const FOLD_MIN_POSTINGS = 200_000
const FOLD_MIN_DEAD = 2_000

/** An empty index, or one restored from a snapshot or a bulk build. */
export function createEmbeddedIndex(analyzer: Analyzer, state?: IndexState) {
  let base = state?.segment ?? emptySegment()
  /** Documents added since the base segment was made: one short list per term. */
  let tails = new Map<string, PostingList>()
  let tailPostings = 0
  /** Where a term is in the base segment's sorted terms (a binary search: no second map). */
  const basePosition = (term: string) => {
    const position = lowerBound(base.terms, term)
    return base.terms[position] === term ? position : undefined
  }
  /** Terms only the tails have, sorted, for prefix look-ups. */
  let tailTerms: string[] = []
  const ids = state?.ids ?? []
  const displays = state?.displays ?? []
  const codes = Object.fromEntries(
    CODED_FACETS.map((name) => {
      const values = state?.values[name] ?? ['']
      return [name, { values, codes: new Map(values.map((value, code) => [value, code])) }]
    }),
  ) as Record<CodedFacet, { values: string[]; codes: Map<string, number> }>
  let capacity = Math.max(1024, ids.length)
  let columns = state ? state.columns : createColumns(capacity)
  if (columns.alive.length < capacity) {
    columns = Object.fromEntries(
      Object.entries(columns).map(([name, column]) => [name, resized(column as Column, capacity)]),
    ) as unknown as Columns
  }
  const docOf = new Map<string, number>()
  let aliveCount = 0
  let deadCount = 0
  let totalLength = 0
  ids.forEach((id, doc) => {
    if (id === null) {
      deadCount += 1
      return
    }
    docOf.set(id, doc)
    aliveCount += 1
    totalLength += columns.length[doc]!
  })

  // Scratch space of one query, reused by the next: JavaScript runs one search at a time.
  let scores = new Float32Array(capacity)
  let touched = new Uint32Array(capacity)
  let latent = withRoom(state?.latent ?? null, capacity)

  const grow = (size: number) => {
    if (size <= capacity) return
    capacity = Math.max(size, capacity * 2)
    for (const name of Object.keys(columns) as (keyof Columns)[]) {
      ;(columns as Record<keyof Columns, Column>)[name] = resized(columns[name], capacity)
    }
    scores = new Float32Array(capacity)
    touched = new Uint32Array(capacity)
    latent = withRoom(latent, capacity)
  }

  const encode = (name: CodedFacet, value: string | null) => {
    if (value === null) return 0
    const facet = codes[name]
    let code = facet.codes.get(value)
    if (code === undefined) {
      code = facet.values.length
      facet.values.push(value)
      facet.codes.set(value, code)
    }
    return code
  }

  const setColumns = (doc: number, document: IndexedDocument, length: number) => {
    const facets: DocumentFacets = document.facets
    columns.field[doc] = encode('field', facets.field)
    columns.subField[doc] = encode('subField', facets.subField)
    columns.region[doc] = encode('region', facets.region)
    columns.local[doc] = facets.local ? 2 : 1
    let modes = 0
    for (const mode of facets.modes) {
      const code = encode('modes', mode)
      if (code <= 16) modes |= 1 << (code - 1)
    }
    columns.modes[doc] = modes
    columns.trl[doc] = facets.trl ?? 0
    columns.amountBand[doc] = encode('amountBand', facets.amountBand)
    columns.publishedAt[doc] = document.sort.publishedAt
    columns.amount[doc] = document.sort.amount ?? Number.NaN
    columns.length[doc] = length
    columns.alive[doc] = 1
    ids[doc] = document.id
    displays[doc] = document.display
    docOf.set(document.id, doc)
    aliveCount += 1
    totalLength += length
  }

  /** One base segment from the base and the tails, without the removed documents. */
  const fold = () => {
    const tailSegment = segmentOf(tails)
    const alive = columns.alive
    base = mergeSegments(
      [
        { segment: base, docBase: 0 },
        { segment: tailSegment, docBase: 0 },
      ],
      (doc) => alive[doc] === 1,
    )
    tails = new Map()
    tailTerms = []
    tailPostings = 0
    deadCount = 0
  }

  const remove = (id: string) => {
    const doc = docOf.get(id)
    if (doc === undefined) return false
    docOf.delete(id)
    ids[doc] = null
    displays[doc] = null
    columns.alive[doc] = 0
    if (latent)
      latent.vectors.fill(0, doc * latent.space.dimensions, (doc + 1) * latent.space.dimensions)
    aliveCount -= 1
    deadCount += 1
    totalLength -= columns.length[doc]!
    // Postings of removed documents cost time in every query that reads them.
    if (deadCount > Math.max(FOLD_MIN_DEAD, aliveCount / 4)) fold()
    return true
  }

  const add = (document: SearchDocument) => {
    remove(document.id)
    const doc = ids.length
    grow(doc + 1)
    // A document added after the space was learned folds into it, as a query would.
    const frequencies = latent ? new Map<string, number>() : null
    const length = visitTerms(analyzer, document.text, (term, weight) => {
      frequencies?.set(term, (frequencies.get(term) ?? 0) + weight)
      let tail = tails.get(term)
      if (!tail) {
        tail = { docs: [], frequencies: [] }
        tails.set(term, tail)
        if (basePosition(term) === undefined) tailTerms.splice(lowerBound(tailTerms, term), 0, term)
      }
      if (tail.docs.at(-1) !== doc) tailPostings += 1
      addPosting(tail, doc, weight)
    })
    setColumns(doc, document, length)
    if (latent && frequencies) {
      const vector = foldIn(latent.space, frequencies)
      if (vector) storeVector(latent.vectors, doc, vector)
    }
    if (tailPostings > Math.max(FOLD_MIN_POSTINGS, base.docs.length / 8)) fold()
  }

  const documentFrequency = (term: string) => {
    const position = basePosition(term)
    const inBase =
      position === undefined ? 0 : base.offsets[position + 1]! - base.offsets[position]!
    return inBase + (tails.get(term)?.docs.length ?? 0)
  }

  const idfOf = (term: string) => {
    // Postings of removed documents stay until the next fold: never count more than live.
    const frequency = Math.min(documentFrequency(term), aliveCount)
    return Math.log(1 + (aliveCount - frequency + 0.5) / (frequency + 0.5))
  }

  const contains = (term: string, doc: number) => {
    const position = basePosition(term)
    if (position !== undefined) {
      const found = binarySearch(
        base.docs,
        base.offsets[position]!,
        base.offsets[position + 1]!,
        doc,
      )
      if (found) return true
    }
    const tail = tails.get(term)
    return tail !== undefined && binarySearch(tail.docs, 0, tail.docs.length, doc)
  }

  const termsStartingWith = (prefix: string) => {
    const found: string[] = []
    for (const sorted of [base.terms, tailTerms]) {
      const start = lowerBound(sorted, prefix)
      const end = Math.min(sorted.length, start + PREFIX_SCAN)
      for (let index = start; index < end; index += 1) {
        const term = sorted[index]!
        if (!term.startsWith(prefix)) break
        if (term !== prefix) found.push(term)
      }
    }
    const frequency = new Map(found.map((term) => [term, documentFrequency(term)]))
    return found.sort((a, b) => frequency.get(b)! - frequency.get(a)!).slice(0, PREFIX_EXPANSIONS)
  }

  /** The distinct terms of a query, each with how much it counts. */
  const queryTerms = (query: string, prefix: boolean, repeats: boolean, maxTerms?: number) => {
    const analyzed = analyzer.analyze(query)
    const terms = new Map<string, number>()
    for (const word of analyzed.words) terms.set(word, (terms.get(word) ?? 0) + 1)
    // A piece of a longer query word (算机 of 计算机) counts for less, unless it also stands
    // alone in the query.
    const parts = new Map<string, number>()
    for (const part of analyzed.parts) parts.set(part, (parts.get(part) ?? 0) + 1)
    for (const [word, count] of terms) {
      const weight = repeats ? 1 + Math.log(count) : 1
      terms.set(word, parts.get(word) === count ? weight * PART_WEIGHT : weight)
    }
    // Character pairs are for finding a word the index only has inside longer ones (区块 in
    // 区块链): they are looked up when a Chinese query word is not indexed as a word itself. A
    // long query has words enough, and its pairs would touch nearly every document.
    const unknownWord = [...terms.keys()].some(
      (word) => /^\p{Script=Han}+$/u.test(word) && documentFrequency(word) === 0,
    )
    if ((unknownWord || terms.size === 0) && analyzed.grams.length <= MAX_QUERY_GRAMS) {
      for (const gram of analyzed.grams) if (!terms.has(gram)) terms.set(gram, GRAM_WEIGHT)
    }
    const last = analyzer.normalize(query).trim().split(/\s+/).at(-1)
    if (prefix && last && /^[\p{Script=Han}a-z0-9]+$/u.test(last)) {
      for (const term of termsStartingWith(last)) {
        if (!terms.has(term)) terms.set(term, PREFIX_WEIGHT)
      }
    }
    if (maxTerms !== undefined && terms.size > maxTerms) {
      const weightOf = (term: string, weight: number) => weight * idfOf(term)
      const kept = [...terms]
        .sort((a, b) => weightOf(b[0], b[1]) - weightOf(a[0], a[1]))
        .slice(0, maxTerms)
      return new Map(kept)
    }
    return terms
  }

  /** A filter as column tests; null when it names a value no document has. */
  const compileFilters = (filters: SearchFilters) => {
    const tests: ((doc: number) => boolean)[] = []
    const equals = (name: Exclude<CodedFacet, 'modes'>, value?: string) => {
      if (value === undefined) return true
      const code = codes[name].codes.get(value)
      if (code === undefined || code === 0) return false
      const column = columns[name]
      tests.push((doc) => column[doc] === code)
      return true
    }
    if (!equals('field', filters.field)) return null
    if (!equals('subField', filters.subField)) return null
    if (!equals('region', filters.region)) return null
    if (!equals('amountBand', filters.amountBand)) return null
    if (filters.local !== undefined) {
      const local = filters.local ? 2 : 1
      const column = columns.local
      tests.push((doc) => column[doc] === local)
    }
    if (filters.mode !== undefined) {
      const code = codes.modes.codes.get(filters.mode)
      if (code === undefined || code === 0 || code > 16) return null
      const bit = 1 << (code - 1)
      const column = columns.modes
      tests.push((doc) => (column[doc]! & bit) !== 0)
    }
    if (filters.trlMin !== undefined) {
      const trlMin = filters.trlMin
      const column = columns.trl
      tests.push((doc) => column[doc]! >= trlMin)
    }
    return tests
  }

  const countFacets = (count: number): FacetCounts => {
    const tally = (name: CodedFacet) => new Uint32Array(codes[name].values.length)
    const tallies = {
      field: tally('field'),
      subField: tally('subField'),
      region: tally('region'),
      amountBand: tally('amountBand'),
      modes: new Uint32Array(17),
      trl: new Uint32Array(10),
      local: new Uint32Array(3),
    }
    for (let index = 0; index < count; index += 1) {
      const doc = touched[index]!
      tallies.field[columns.field[doc]!]! += 1
      tallies.subField[columns.subField[doc]!]! += 1
      tallies.region[columns.region[doc]!]! += 1
      tallies.amountBand[columns.amountBand[doc]!]! += 1
      tallies.trl[columns.trl[doc]!]! += 1
      tallies.local[columns.local[doc]!]! += 1
      let modes = columns.modes[doc]!
      while (modes !== 0) {
        const bit = 31 - Math.clz32(modes)
        tallies.modes[bit + 1]! += 1
        modes &= ~(1 << bit)
      }
    }
    // Code 0 is "none": not a value anyone can filter by.
    const named = (counts: Uint32Array, name: (code: number) => string) => {
      const named: Record<string, number> = {}
      for (let code = 1; code < counts.length; code += 1) {
        if (counts[code]! > 0) named[name(code)] = counts[code]!
      }
      return named
    }
    const valueOf = (name: CodedFacet) => (code: number) => codes[name].values[code]!
    return {
      field: named(tallies.field, valueOf('field')),
      subField: named(tallies.subField, valueOf('subField')),
      region: named(tallies.region, valueOf('region')),
      amountBand: named(tallies.amountBand, valueOf('amountBand')),
      modes: named(tallies.modes, valueOf('modes')),
      trl: named(tallies.trl, String),
      local: named(tallies.local, (code) => (code === 2 ? 'true' : 'false')),
    }
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
    documentFrequency,

    /** Takes in a bulk build: the base segment's documents 0…n−1, on an index with none yet. */
    load(documents: readonly IndexedDocument[], lengths: Float32Array) {
      if (ids.length > 0) throw new Error('load() needs an index without documents')
      grow(documents.length)
      documents.forEach((document, doc) => setColumns(doc, document, lengths[doc]!))
    },

    /**
     * How close each candidate is in topic to a text (its termFrequencies), by the cosine of
     * their latent vectors; null before a space is learned.
     */
    similarity(
      frequencies: ReadonlyMap<string, number>,
      candidates: readonly string[],
    ): Map<string, number> | null {
      if (!latent) return null
      const query = foldIn(latent.space, frequencies)
      if (!query) return null
      const vectors = latent.vectors
      return new Map(
        candidates.flatMap((id) => {
          const doc = docOf.get(id)
          return doc === undefined ? [] : [[id, cosine(vectors, doc, query)] as const]
        }),
      )
    },

    /** The index as plain values, its tails folded in: what a snapshot stores. */
    state(): IndexState {
      if (tailPostings > 0 || deadCount > 0) fold()
      const size = ids.length
      return {
        segment: base,
        ids: [...ids],
        displays: [...displays],
        values: Object.fromEntries(
          CODED_FACETS.map((name) => [name, [...codes[name].values]]),
        ) as IndexState['values'],
        columns: Object.fromEntries(
          Object.entries(columns).map(([name, column]) => [
            name,
            (column as Column).slice(0, size),
          ]),
        ) as unknown as Columns,
        latent: latent && {
          space: latent.space,
          vectors: latent.vectors.slice(0, size * latent.space.dimensions),
        },
      }
    },

    search(query: string, options: SearchOptions = {}): SearchPage {
      const limit = Math.max(0, Math.min(options.limit ?? 10, MAX_PAGE_SIZE))
      const offset = Math.max(0, options.offset ?? 0)
      const terms = queryTerms(
        query,
        options.prefix ?? false,
        options.repeats ?? false,
        options.maxTerms,
      )
      const tests = compileFilters(options.filters ?? {})
      const exclude = options.exclude
      const passes = (doc: number) => {
        if (tests === null) return false
        for (const test of tests) if (!test(doc)) return false
        return !exclude || !exclude.has(ids[doc]!)
      }
      let count = 0

      if (terms.size === 0 && query.trim() !== '') {
        // Words that say nothing (punctuation, stop words only): nothing matches them.
      } else if (terms.size === 0) {
        // No query: every live document that passes the filters, newest first.
        for (let doc = 0; doc < ids.length; doc += 1) {
          if (columns.alive[doc] && passes(doc)) touched[count++] = doc
        }
      } else {
        const averageLength = aliveCount > 0 ? totalLength / aliveCount : 1
        const lengths = columns.length
        const alive = columns.alive
        // A score of 0 marks a document not seen yet; -1 one seen and filtered out.
        const accumulate = (
          docs: ArrayLike<number>,
          frequencies: ArrayLike<number>,
          start: number,
          end: number,
          weight: number,
        ) => {
          for (let index = start; index < end; index += 1) {
            const doc = docs[index]!
            let score = scores[doc]!
            if (score < 0 || alive[doc] === 0) continue
            if (score === 0) {
              touched[count++] = doc
              if (!passes(doc)) {
                scores[doc] = -1
                continue
              }
            }
            const frequency = frequencies[index]! * FREQUENCY_UNIT
            score +=
              (weight * frequency) /
              (frequency + K1 * (1 - B + (B * lengths[doc]!) / averageLength))
            scores[doc] = score
          }
        }
        for (const [term, queryWeight] of terms) {
          if (documentFrequency(term) === 0) continue
          const weight = queryWeight * idfOf(term) * (K1 + 1)
          const position = basePosition(term)
          if (position !== undefined) {
            const start = base.offsets[position]!
            accumulate(base.docs, base.frequencies, start, base.offsets[position + 1]!, weight)
          }
          const tail = tails.get(term)
          if (tail) accumulate(tail.docs, tail.frequencies, 0, tail.docs.length, weight)
        }
        // Keep the matches; forget the filtered-out ones and reset their marks.
        let kept = 0
        for (let index = 0; index < count; index += 1) {
          const doc = touched[index]!
          if (scores[doc]! < 0) scores[doc] = 0
          else touched[kept++] = doc
        }
        count = kept
      }

      const facets = options.facets === false ? emptyFacets() : countFacets(count)
      const sort = options.sort ?? 'relevance'
      const { publishedAt, amount } = columns
      const newest = (a: number, b: number) => publishedAt[b]! - publishedAt[a]!
      const amountOf = (doc: number) => (Number.isNaN(amount[doc]!) ? -1 : amount[doc]!)
      const compare =
        sort === 'newest' || (sort === 'relevance' && terms.size === 0)
          ? newest
          : sort === 'amount'
            ? (a: number, b: number) => amountOf(b) - amountOf(a) || newest(a, b)
            : (a: number, b: number) => scores[b]! - scores[a]! || newest(a, b)
      const page = selectTop(touched, count, offset + limit, compare).slice(offset)
      let best = 0
      for (let index = 0; index < count; index += 1) best = Math.max(best, scores[touched[index]!]!)
      const words = [...terms].filter(([, weight]) => weight >= 1).map(([term]) => term)
      const hits = page.map((doc) => ({
        id: ids[doc]!,
        score: best > 0 ? scores[doc]! / best : 0,
        rawScore: scores[doc]!,
        // Whole words explain a match; character pairs and pinyin keys only find it.
        matched: words.filter((term) => contains(term, doc)),
        display: displays[doc]!,
        attributes: {
          field: codes.field.values[columns.field[doc]!]!,
          subField: columns.subField[doc] ? codes.subField.values[columns.subField[doc]!]! : null,
          region: codes.region.values[columns.region[doc]!]!,
          local: columns.local[doc] === 2,
          trl: columns.trl[doc] || null,
          amount: Number.isNaN(amount[doc]!) ? null : amount[doc]!,
        },
      }))
      for (let index = 0; index < count; index += 1) scores[touched[index]!] = 0
      return { hits, total: count, facets }
    },
  }
}

export type EmbeddedIndex = ReturnType<typeof createEmbeddedIndex>

/**
 * An index from a bulk build: the segment's documents are `documents`, in order, and
 * `lengths` are theirs; `latent` is the segment's latent space.
 */
export function indexFromSegment(
  analyzer: Analyzer,
  segment: Segment,
  documents: readonly IndexedDocument[],
  latent: SegmentLatent | null = null,
) {
  const index = createEmbeddedIndex(analyzer, {
    segment,
    latent,
    ids: [],
    displays: [],
    values: { field: [''], subField: [''], region: [''], modes: [''], amountBand: [''] },
    columns: createColumns(Math.max(1024, documents.length)),
  })
  index.load(documents, segment.lengths)
  return index
}

export function emptyFacets(): FacetCounts {
  return Object.fromEntries(FACET_NAMES.map((name) => [name, {}])) as FacetCounts
}

function binarySearch(docs: ArrayLike<number>, start: number, end: number, doc: number) {
  let low = start
  let high = end
  while (low < high) {
    const middle = (low + high) >>> 1
    if (docs[middle]! < doc) low = middle + 1
    else high = middle
  }
  return low < end && docs[low] === doc
}

function lowerBound(sorted: string[], value: string) {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! < value) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * The first `count` of `items[0..length)` in `compare` order without sorting them all: a
 * bounded max-heap of the best so far (its root is the worst of them), then one sort of it.
 */
function selectTop(
  items: Uint32Array,
  length: number,
  count: number,
  compare: (a: number, b: number) => number,
) {
  if (count <= 0) return []
  if (length <= count) return Array.from(items.subarray(0, length)).sort(compare)
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
  for (let index = 0; index < length; index += 1) {
    const item = items[index]!
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
