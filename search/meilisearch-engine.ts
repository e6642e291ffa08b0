import { Meilisearch, type Settings } from 'meilisearch'

import { createAnalyzer, type Analyzer } from './analyzer'
import type { BulkSource } from './bulk-build'
import { DOCUMENT_KINDS, type DocumentKind, type SearchDocument } from './documents'
import {
  emptyFacets,
  type FacetCounts,
  type SearchFilters,
  type SearchHit,
  type SearchOptions,
  type SearchPage,
} from './embedded-index'
import type { SearchEngine } from './engine'
import { FACET_NAMES, MAX_PAGE_SIZE, SEARCH_FIELDS, SORT_KEYS } from './settings'

/**
 * The search engine as a Meilisearch server (MEILI_URL), through the official client. It is
 * sent the documents and the queries as terms made by our analyzer, joined by spaces: the
 * words inside longer words, synonyms, pinyin and character pairs are then the same as the
 * embedded index's, whatever Meilisearch's own segmenter would have made of the raw text.
 */

export interface MeilisearchOptions {
  url: string
  apiKey?: string
  /** Index names start with it, so several platforms can share one server. */
  indexPrefix?: string
  /** How long a task (an addition, a settings change) may take before it counts as failed. */
  taskTimeoutMs?: number
}

const INDEX_NAMES: Record<DocumentKind, string> = {
  result: 'results',
  need: 'needs',
  expert: 'experts',
}

/** The searchable texts as stored: `title_terms` and so on, most weighty first. */
const termsAttribute = (field: string) => `${field}_terms`
const TERMS_ATTRIBUTES = SEARCH_FIELDS.map(termsAttribute)
const DISPLAY_ATTRIBUTES = ['id', 'title', 'snippet', 'orgId', 'orgName'] as const

/** search/settings.ts in Meilisearch's words: attribute order is its field weighting. */
export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: TERMS_ATTRIBUTES,
  filterableAttributes: ['id', ...FACET_NAMES],
  sortableAttributes: Object.values(SORT_KEYS),
  displayedAttributes: [...DISPLAY_ATTRIBUTES, ...FACET_NAMES, 'amount', ...TERMS_ATTRIBUTES],
  // The terms are already normalized, segmented and expanded; a typo match between two
  // Chinese words or pinyin keys would find unrelated listings.
  typoTolerance: { enabled: false },
  faceting: { maxValuesPerFacet: 200 },
  pagination: { maxTotalHits: 10_000 },
}

export interface MeilisearchDocument {
  id: string
  title_terms: string
  keywords_terms: string
  body_terms: string
  title: string
  snippet: string
  orgId: string
  orgName: string
  field: string
  subField: string | null
  region: string
  local: boolean
  modes: string[]
  trl: number | null
  amountBand: string | null
  publishedAt: number
  /** Left out when there is none, so that sorting by amount puts such documents last. */
  amount?: number
}

export function toMeilisearchDocument(
  analyzer: Analyzer,
  document: SearchDocument,
): MeilisearchDocument {
  const title = analyzer.analyze(document.text.title, { pinyin: true })
  const keywords = document.text.keywords.map((keyword) => analyzer.analyzeKeyword(keyword))
  const body = analyzer.analyze(document.text.body, { grams: false })
  const terms = (analyzed: { words: string[]; grams: string[]; pinyin: string[] }[]) =>
    analyzed.flatMap((text) => [...text.words, ...text.grams, ...text.pinyin]).join(' ')
  return {
    id: document.id,
    title_terms: terms([title]),
    keywords_terms: terms(keywords),
    body_terms: body.words.join(' '),
    ...document.display,
    ...document.facets,
    publishedAt: document.sort.publishedAt,
    ...(document.sort.amount !== null ? { amount: document.sort.amount } : {}),
  }
}

/** A value inside a filter expression: always a quoted string, its quotes escaped. */
const quoted = (value: string | number | boolean) => JSON.stringify(String(value))

/**
 * Filters as Meilisearch filter expressions, one per condition (an array means AND). Only
 * validated values reach here, and each is quoted: no search input ever becomes filter syntax.
 */
export function toMeilisearchFilter(filters: SearchFilters, exclude?: ReadonlySet<string>) {
  const expressions: string[] = []
  const equals = (name: string, value: string | boolean | undefined) => {
    if (value !== undefined) expressions.push(`${name} = ${quoted(value)}`)
  }
  equals('field', filters.field)
  equals('subField', filters.subField)
  equals('region', filters.region)
  equals('local', filters.local)
  equals('modes', filters.mode)
  equals('amountBand', filters.amountBand)
  if (filters.trlMin !== undefined) expressions.push(`trl >= ${Number(filters.trlMin)}`)
  if (exclude && exclude.size > 0) {
    expressions.push(`id NOT IN [${[...exclude].map(quoted).join(', ')}]`)
  }
  return expressions
}

interface MeilisearchHit extends Partial<MeilisearchDocument> {
  _rankingScore?: number
}

export function createMeilisearchEngine(options: MeilisearchOptions): SearchEngine {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey })
  const prefix = options.indexPrefix ?? 'xm_'
  const uidOf = (kind: DocumentKind) => `${prefix}${INDEX_NAMES[kind]}`
  const wait = { timeout: options.taskTimeoutMs ?? 60_000, interval: 100 }
  let analyzer = createAnalyzer()

  /** Creates the index if it is missing and applies the settings, waiting for both. */
  const prepareIndex = async (uid: string) => {
    try {
      await client.getIndex(uid)
    } catch {
      await client.createIndex(uid, { primaryKey: 'id' }).waitTask(wait)
    }
    await client.index(uid).updateSettings(MEILISEARCH_SETTINGS).waitTask(wait)
  }

  const add = async (uid: string, documents: SearchDocument[]) => {
    if (documents.length === 0) return
    // New keywords become words of the segmenter, as the embedded index does it.
    for (const document of documents) analyzer.addWords(document.text.keywords)
    const sent = documents.map((document) => toMeilisearchDocument(analyzer, document))
    const task = await client.index(uid).addDocuments(sent, { primaryKey: 'id' }).waitTask(wait)
    if (task.status !== 'succeeded')
      throw new Error(`Meilisearch 写入失败：${task.error?.message ?? task.status}`)
  }

  return {
    name: 'meilisearch',
    shared: true,
    analyzer: () => analyzer,

    async init(words) {
      analyzer = createAnalyzer({ words })
      for (const kind of DOCUMENT_KINDS) await prepareIndex(uidOf(kind))
    },

    async rebuild(source: BulkSource, onProgress) {
      analyzer = createAnalyzer({ words: source.words })
      // Built beside the live indexes and swapped in at once: search keeps answering meanwhile.
      const building = (kind: DocumentKind) => `${uidOf(kind)}_rebuild`
      for (const kind of DOCUMENT_KINDS) {
        await client.deleteIndexIfExists(building(kind))
        await prepareIndex(building(kind))
        await prepareIndex(uidOf(kind))
      }
      let done = 0
      for await (const batch of source.batches) {
        for (const kind of DOCUMENT_KINDS) {
          await add(
            building(kind),
            batch.filter((document) => document.kind === kind),
          )
        }
        done += batch.length
        onProgress?.(done)
      }
      await client
        .swapIndexes(
          DOCUMENT_KINDS.map((kind) => ({ indexes: [uidOf(kind), building(kind)], rename: false })),
        )
        .waitTask(wait)
      for (const kind of DOCUMENT_KINDS) await client.deleteIndex(building(kind)).waitTask(wait)
    },

    async upsert(documents) {
      for (const kind of DOCUMENT_KINDS) {
        await add(
          uidOf(kind),
          documents.filter((document) => document.kind === kind),
        )
      }
    },

    async remove(kind, ids) {
      if (ids.length === 0) return
      const task = await client.index(uidOf(kind)).deleteDocuments(ids).waitTask(wait)
      if (task.status !== 'succeeded')
        throw new Error(`Meilisearch 删除失败：${task.error?.message ?? task.status}`)
    },

    // The latent space is learned from the embedded index's postings; Meilisearch keeps its
    // own, so matching ranks by the lexical signals alone there.
    async similarity() {
      return null
    },

    async search(kind, query, searchOptions: SearchOptions = {}): Promise<SearchPage> {
      const words = [...new Set(analyzer.analyze(query, { grams: false }).words)]
      if (words.length === 0 && query.trim() !== '') {
        return { hits: [], total: 0, facets: emptyFacets() }
      }
      const sort = searchOptions.sort ?? 'relevance'
      const limit = Math.max(0, Math.min(searchOptions.limit ?? 10, MAX_PAGE_SIZE))
      const response = await client.index(uidOf(kind)).search<MeilisearchHit>(words.join(' '), {
        filter: toMeilisearchFilter(searchOptions.filters ?? {}, searchOptions.exclude),
        ...(searchOptions.facets === false ? {} : { facets: [...FACET_NAMES] }),
        sort:
          sort === 'newest' || (sort === 'relevance' && words.length === 0)
            ? [`${SORT_KEYS.newest}:desc`]
            : sort === 'amount'
              ? [`${SORT_KEYS.amount}:desc`]
              : undefined,
        offset: Math.max(0, searchOptions.offset ?? 0),
        limit,
        showRankingScore: true,
        // A long text as a query: documents need not contain every word.
        matchingStrategy: searchOptions.repeats ? 'frequency' : 'last',
      })
      const best = Math.max(0, ...response.hits.map((hit) => hit._rankingScore ?? 0))
      const hits: SearchHit[] = response.hits.map((hit) => {
        const terms = new Set(
          TERMS_ATTRIBUTES.flatMap((name) =>
            String(hit[name as keyof MeilisearchHit] ?? '').split(' '),
          ),
        )
        const score = hit._rankingScore ?? 0
        return {
          id: String(hit.id),
          score: best > 0 ? score / best : 0,
          rawScore: score,
          matched: words.filter((word) => terms.has(word)),
          display: {
            title: hit.title ?? '',
            snippet: hit.snippet ?? '',
            orgId: hit.orgId ?? '',
            orgName: hit.orgName ?? '',
          },
          attributes: {
            field: hit.field ?? '',
            subField: hit.subField ?? null,
            region: hit.region ?? '',
            local: hit.local ?? false,
            trl: hit.trl ?? null,
            amount: hit.amount ?? null,
          },
        }
      })
      const facets: FacetCounts = emptyFacets()
      for (const name of FACET_NAMES) {
        Object.assign(facets[name], response.facetDistribution?.[name] ?? {})
      }
      return {
        hits,
        total: response.estimatedTotalHits ?? hits.length,
        facets,
      }
    },

    async count() {
      const counts = {} as Record<DocumentKind, number>
      for (const kind of DOCUMENT_KINDS) {
        counts[kind] = (await client.index(uidOf(kind)).getStats()).numberOfDocuments
      }
      return counts
    },

    async close() {},
  }
}
