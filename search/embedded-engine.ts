import { createAnalyzer, type Analyzer } from './analyzer'
import { buildIndexes, type BulkSource } from './bulk-build'
import { DOCUMENT_KINDS, type DocumentKind } from './documents'
import { createEmbeddedIndex, type EmbeddedIndex, type IndexState } from './embedded-index'
import type { SearchEngine } from './engine'
import { termFrequencies } from './segment'
import { openRecords, writeRecords } from './snapshot-file'

/**
 * Bump when what is indexed changes (the analyzer, the documents, the index layout): an older
 * snapshot is then ignored and the index is built afresh.
 */
export const SNAPSHOT_VERSION = 5

/** A snapshot file: this header, then each kind's IndexState, each a record (snapshot-file.ts). */
interface SnapshotHeader {
  version: number
  /** Which database the index was built from: a snapshot of another is never loaded. */
  source: string
  /** Where in the change log the snapshot stands (the outbox sequence number). */
  position: string
  savedAt: number
  words: string[]
}

export interface EmbeddedEngine extends SearchEngine {
  readonly name: 'embedded'
  /**
   * Writes the index to `file` (atomically), with the database it reflects (`source`) and its
   * position in that database's change log.
   */
  saveSnapshot(file: string, source: string, position: string): Promise<void>
  /**
   * Replaces the index with the snapshot in `file`: its change-log position and age, or null
   * when there is none, or it is of another version or another database.
   */
  loadSnapshot(file: string, source: string): Promise<{ position: string; savedAt: Date } | null>
}

export function createEmbeddedEngine(options: { threads?: number } = {}): EmbeddedEngine {
  let words: string[] = []
  let analyzer: Analyzer = createAnalyzer()
  let indexes = emptyIndexes(analyzer)
  let lastText: { key: string; frequencies: Map<string, number> } | null = null

  return {
    name: 'embedded',
    shared: false,
    analyzer: () => analyzer,

    // The index comes from a snapshot or a build, which bring their own words.
    async init() {},

    async rebuild(source: BulkSource, onProgress) {
      const built = await buildIndexes(source, { threads: options.threads ?? 0, onProgress })
      words = [...source.words]
      analyzer = built.analyzer
      indexes = built.indexes
    },

    async upsert(documents) {
      for (const document of documents) {
        words.push(...analyzer.addWords(document.text.keywords))
        indexes[document.kind].add(document)
      }
    },

    async remove(kind, ids) {
      for (const id of ids) indexes[kind].remove(id)
    },

    async search(kind, query, searchOptions) {
      return indexes[kind].search(query, searchOptions)
    },

    async similarity(kind, text, ids) {
      // A match asks this of results and experts with the same text: analysed once.
      const key = JSON.stringify(text)
      if (lastText?.key !== key) lastText = { key, frequencies: termFrequencies(analyzer, text) }
      return indexes[kind].similarity(lastText.frequencies, ids)
    },

    async count() {
      return {
        result: indexes.result.size,
        need: indexes.need.size,
        expert: indexes.expert.size,
      }
    },

    async close() {},

    async saveSnapshot(file, source, position) {
      const header: SnapshotHeader = {
        version: SNAPSHOT_VERSION,
        source,
        position,
        savedAt: Date.now(),
        words,
      }
      await writeRecords(file, [
        () => header,
        ...DOCUMENT_KINDS.map((kind) => () => indexes[kind].state()),
      ])
    },

    async loadSnapshot(file, source) {
      let snapshot: SnapshotHeader & { states: Record<DocumentKind, IndexState> }
      try {
        const records = await openRecords(file)
        try {
          const header = (await records.next()) as SnapshotHeader
          if (header?.version !== SNAPSHOT_VERSION || header.source !== source) return null
          const states = {} as Record<DocumentKind, IndexState>
          for (const kind of DOCUMENT_KINDS) states[kind] = (await records.next()) as IndexState
          snapshot = { ...header, states }
        } finally {
          await records.close()
        }
      } catch {
        // Missing, unreadable or cut short: the caller builds the index instead.
        return null
      }
      // An index that grew from a few documents by additions alone has no topic space (it is
      // learned by a build): once it is large, it is built afresh instead of loaded.
      const { states } = snapshot
      if (
        DOCUMENT_KINDS.some(
          (kind) => !states[kind].latent && liveCount(states[kind]) >= RELEARN_SIZE,
        )
      ) {
        return null
      }
      words = snapshot.words
      analyzer = createAnalyzer({ words })
      indexes = {
        result: createEmbeddedIndex(analyzer, states.result),
        need: createEmbeddedIndex(analyzer, states.need),
        expert: createEmbeddedIndex(analyzer, states.expert),
      }
      return { position: snapshot.position, savedAt: new Date(snapshot.savedAt) }
    },
  }
}

/** Documents from which an index without a topic space is rebuilt to learn one. */
const RELEARN_SIZE = 1_000

const liveCount = (state: IndexState) => state.ids.filter((id) => id !== null).length

function emptyIndexes(analyzer: Analyzer): Record<DocumentKind, EmbeddedIndex> {
  return Object.fromEntries(
    DOCUMENT_KINDS.map((kind) => [kind, createEmbeddedIndex(analyzer)]),
  ) as Record<DocumentKind, EmbeddedIndex>
}
