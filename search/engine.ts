import type { Analyzer } from './analyzer'
import type { BulkSource } from './bulk-build'
import type { DocumentKind, SearchableText, SearchDocument } from './documents'
import type { SearchOptions, SearchPage } from './embedded-index'

/**
 * What the app asks of a search engine, whichever it is: the embedded index in this process
 * or a Meilisearch server. Both are given documents made by `documents.ts` and terms made by
 * the one analyzer, so they find the same things.
 */
export interface SearchEngine {
  readonly name: 'embedded' | 'meilisearch'
  /**
   * Whether every process shares this engine's index (Meilisearch): then each change is
   * applied by one indexer once. An embedded index is this process's own, and each process
   * applies every change to it.
   */
  readonly shared: boolean
  /** The analyzer the index was built with (its dictionary grows with the listings). */
  analyzer(): Analyzer
  /**
   * Gets ready to serve: a shared engine creates its indexes and applies the settings
   * (waiting for them), and learns the domain words its queries are analysed with.
   */
  init(words: string[]): Promise<void>
  /** Replaces every document with those of `source`. */
  rebuild(source: BulkSource, onProgress?: (documents: number) => void): Promise<void>
  upsert(documents: SearchDocument[]): Promise<void>
  remove(kind: DocumentKind, ids: string[]): Promise<void>
  search(kind: DocumentKind, query: string, options?: SearchOptions): Promise<SearchPage>
  /**
   * How close in topic each candidate is to `text` (cosine in the index's latent space, see
   * latent.ts), or null when the engine has no such space.
   */
  similarity(
    kind: DocumentKind,
    text: SearchableText,
    ids: readonly string[],
  ): Promise<Map<string, number> | null>
  /** Documents per kind; throws when the engine cannot be reached. */
  count(): Promise<Record<DocumentKind, number>>
  close(): Promise<void>
}

export type { SearchOptions, SearchPage }
