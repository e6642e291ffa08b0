import path from 'node:path'

import type { SearchEntity } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { DEFAULT_DATA_DIR } from '~/utils/env.server'
import { logger } from '~/utils/logger.server'
import type { SearchParams } from '~/validation/search'

import type { BulkSource } from '../../search/bulk-build'
import { DOCUMENT_KINDS, type DocumentKind, type SearchDocument } from '../../search/documents'
import { createEmbeddedEngine, SNAPSHOT_VERSION } from '../../search/embedded-engine'
import type { SearchFilters } from '../../search/embedded-index'
import type { SearchEngine, SearchOptions, SearchPage } from '../../search/engine'
import { createMeilisearchEngine } from '../../search/meilisearch-engine'

import {
  allPublicDocuments,
  countPublicDocuments,
  ENTITY_KIND,
  loadDocuments,
  loadDomainWords,
} from './search-documents.server'

/**
 * The search host of this process: the engine, and the indexer that keeps it in step with the
 * database by following `SearchOutbox`.
 *
 * - An embedded engine is this process's own index. The host loads the snapshot in DATA_DIR
 *   (or builds the index from the database and saves one), then applies every change after
 *   the snapshot's position, in sequence order, by its own cursor: each server process does
 *   the same to its own index. Nothing is written back to the outbox.
 * - A shared engine (Meilisearch) is kept by one indexer at a time (an advisory lock): it
 *   claims unprocessed rows in order, applies them, and marks them processed in the same
 *   transaction; a failure leaves them for a later attempt, after a growing pause.
 *
 * Either way the database is the truth: a write never waits for the engine, and an engine
 * that is down only delays what search shows.
 */

const log = logger.child({ component: 'search' })

const POLL_MS = 2_000
const RETRY_MAX_MS = 60_000
const BATCH_ROWS = 500
/** Outbox rows older than this are deleted; a snapshot older than this is not trusted. */
const OUTBOX_RETENTION_DAYS = 7
const SNAPSHOT_EVERY_MS = 10 * 60_000
/** The advisory locks of the shared indexer and of a first build (two arbitrary keys). */
const SHARED_INDEXER_LOCK = 7_401_001
const HOST_KEY = Symbol.for('xian-tech-market.search-host')

export interface SearchStatus {
  engine: SearchEngine['name']
  /** The engine answers. */
  ok: boolean
  /** The index holds every public document (it may still be catching up on recent changes). */
  ready: boolean
  /** Changes written but not yet applied to the index. */
  pending: number
  documents: { results: number; needs: number; experts: number }
  /** While the index is being built: documents done of all. */
  building?: { done: number; total: number }
}

interface OutboxRow {
  seq: bigint
  entity: SearchEntity
  entityId: string
  op: 'upsert' | 'delete'
  attempts: number
}

export interface SearchHost {
  engine: SearchEngine
  /** Starts in the background: loads or builds the index, then follows the outbox. */
  start(): Promise<void>
  /** Loads or builds the index and applies the outbox once, for one-off work (the CLI). */
  prepare(onProgress?: (done: number, total: number) => void): Promise<void>
  /** Takes in the snapshot another process has just rebuilt (`cli reindex`). */
  reload(): Promise<void>
  stop(): Promise<void>
  /** Looks at the outbox now rather than at the next poll (a write was just committed). */
  nudge(): void
  /** Rebuilds the whole index from the database. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<void>
  /** Applies what is in the outbox until nothing is left; for the CLI and tests. */
  drain(): Promise<void>
  status(): Promise<SearchStatus>
  /** Whether searches can be answered yet, without asking the database. */
  readiness(): { ready: boolean; building?: { done: number; total: number } }
  search(kind: DocumentKind, query: string, options?: SearchOptions): Promise<SearchPage>
}

export interface SearchHostOptions {
  engine: SearchEngine
  /** Where the embedded index keeps its snapshot; none when undefined. */
  snapshotFile?: string
  /** Keep following the outbox after start (a server); the CLI applies it once. */
  follow?: boolean
}

export function createSearchHost(options: SearchHostOptions): SearchHost {
  const { engine } = options
  /** Sequence number of the last outbox row applied to this process's index (embedded). */
  let position = 0n
  let ready = false
  let building: { done: number; total: number } | undefined
  let stopped = false
  let pollTimer: NodeJS.Timeout | undefined
  let retryMs = POLL_MS
  let running: Promise<void> | undefined
  let again = false
  let lastSnapshotAt = Date.now()
  let positionAtSnapshot = 0n

  /** Applies the changes of some outbox rows: each row is looked at again as it is now. */
  const apply = async (rows: Pick<OutboxRow, 'entity' | 'entityId'>[]) => {
    const now = new Date()
    for (const kind of DOCUMENT_KINDS) {
      const ids = [
        ...new Set(rows.filter((row) => ENTITY_KIND[row.entity] === kind).map((r) => r.entityId)),
      ]
      if (ids.length === 0) continue
      const documents = await loadDocuments(kind, ids, now)
      const upserts: SearchDocument[] = []
      const removals: string[] = []
      for (const [id, document] of documents) {
        if (document) upserts.push(document)
        else removals.push(id)
      }
      if (removals.length > 0) await engine.remove(kind, removals)
      if (upserts.length > 0) await engine.upsert(upserts)
    }
  }

  const build = async (onProgress?: (done: number, total: number) => void) => {
    const now = new Date()
    // The position is read before the rows: a change made while they are read is applied
    // again afterwards, which an upsert of the row as it then is makes harmless.
    const [{ max }] = await prisma.$queryRaw<[{ max: bigint | null }]>`
      SELECT max(seq) AS max FROM "SearchOutbox"`
    const startPosition = max ?? 0n
    const total = await countPublicDocuments(now)
    building = { done: 0, total }
    const source: BulkSource = {
      words: await loadDomainWords(now),
      batches: allPublicDocuments(1_000, now),
      expected: total,
    }
    await engine.rebuild(source, (done) => {
      building = { done, total }
      onProgress?.(done, total)
    })
    building = undefined
    position = startPosition
    ready = true
  }

  const saveSnapshot = async () => {
    if (engine.name !== 'embedded' || !options.snapshotFile) return
    const embedded = engine as ReturnType<typeof createEmbeddedEngine>
    await embedded.saveSnapshot(options.snapshotFile, await databaseIdentity(), String(position))
    lastSnapshotAt = Date.now()
    positionAtSnapshot = position
  }

  /** The embedded index at start: from a recent snapshot if there is one, else built. */
  const loadOrBuild = async (onProgress?: (done: number, total: number) => void) => {
    if (engine.name === 'embedded' && options.snapshotFile) {
      const embedded = engine as ReturnType<typeof createEmbeddedEngine>
      const loaded = await embedded.loadSnapshot(options.snapshotFile, await databaseIdentity())
      const retention = OUTBOX_RETENTION_DAYS * 86_400_000
      if (loaded && Date.now() - loaded.savedAt.getTime() < retention) {
        position = BigInt(loaded.position)
        positionAtSnapshot = position
        ready = true
        log.info({ position: loaded.position }, '已载入搜索索引快照')
        return
      }
    }
    const startedAt = Date.now()
    await build(onProgress)
    const counts = await engine.count()
    log.info({ documents: counts, ms: Date.now() - startedAt }, '搜索索引已建立')
    await saveSnapshot().catch((error: unknown) => log.warn({ err: error }, '搜索索引快照保存失败'))
  }

  /** Embedded: every row after this process's position, in order. */
  const followOnce = async () => {
    const [{ max }] = await prisma.$queryRaw<[{ max: bigint | null }]>`
      SELECT max(seq) AS max FROM "SearchOutbox"`
    if ((max ?? 0n) < position) {
      // The log starts lower than where this index stands: the database was restored or
      // reset, and the index describes another state of it.
      log.warn({ position: String(position) }, '搜索变更记录已被重置，重建索引')
      await build()
      return
    }
    for (;;) {
      const rows = await prisma.$queryRaw<OutboxRow[]>`
        SELECT seq, entity, "entityId", op, attempts FROM "SearchOutbox"
        WHERE seq > ${position} ORDER BY seq LIMIT ${BATCH_ROWS}`
      if (rows.length === 0) return
      await apply(rows)
      position = rows.at(-1)!.seq
      if (rows.length < BATCH_ROWS) return
    }
  }

  /** Shared: claim unprocessed rows under the indexer lock, apply, mark them processed. */
  const claimOnce = async () => {
    for (;;) {
      // A failure is recorded on its rows inside the transaction and thrown after the commit,
      // so that the record is kept.
      const outcome = await prisma.$transaction(
        async (tx) => {
          const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`
            SELECT pg_try_advisory_xact_lock(${SHARED_INDEXER_LOCK}) AS locked`
          if (!locked) return { applied: 0 }
          // A row that failed waits 2^attempts seconds (at most an hour) before its next try.
          const rows = await tx.$queryRaw<OutboxRow[]>`
            SELECT seq, entity, "entityId", op, attempts FROM "SearchOutbox"
            WHERE "processedAt" IS NULL
              AND "updatedAt" <= now() - make_interval(secs => least(power(2, attempts), 3600))
                                 + interval '1 second'
            ORDER BY seq LIMIT ${BATCH_ROWS} FOR UPDATE`
          if (rows.length === 0) return { applied: 0 }
          const seqs = rows.map((row) => row.seq)
          try {
            await apply(rows)
          } catch (error) {
            const message = error instanceof Error ? error.message.slice(0, 500) : String(error)
            await tx.$executeRaw`
              UPDATE "SearchOutbox" SET attempts = attempts + 1, "lastError" = ${message},
                "updatedAt" = now() WHERE seq = ANY(${seqs})`
            return { applied: 0, failure: error }
          }
          await tx.$executeRaw`
            UPDATE "SearchOutbox" SET "processedAt" = now(), "updatedAt" = now()
            WHERE seq = ANY(${seqs})`
          return { applied: rows.length }
        },
        { timeout: 120_000, maxWait: 10_000 },
      )
      if ('failure' in outcome) throw outcome.failure
      if (outcome.applied < BATCH_ROWS) return
    }
  }

  const pruneOutbox = () =>
    prisma.$executeRaw`
      DELETE FROM "SearchOutbox"
      WHERE "createdAt" < now() - make_interval(days => ${OUTBOX_RETENTION_DAYS})
        AND (${engine.shared} = false OR "processedAt" IS NOT NULL)`

  const drainOnce = async () => {
    if (!ready) return
    if (engine.shared) await claimOnce()
    else await followOnce()
    if (
      Date.now() - lastSnapshotAt > SNAPSHOT_EVERY_MS &&
      position !== positionAtSnapshot &&
      !engine.shared
    ) {
      await saveSnapshot()
      await pruneOutbox()
    }
  }

  /** One drain at a time; a nudge during one asks for another right after. */
  const drain = async (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await drainOnce()
      } while (again && !stopped)
    })().finally(() => (running = undefined))
    return running
  }

  const schedule = (delay: number) => {
    if (stopped || !options.follow) return
    clearTimeout(pollTimer)
    pollTimer = setTimeout(() => {
      drain()
        .then(() => {
          retryMs = POLL_MS
          schedule(POLL_MS)
        })
        .catch((error: unknown) => {
          log.warn({ err: error, retryMs }, '搜索索引更新失败，稍后重试')
          schedule(retryMs)
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
        })
    }, delay)
    pollTimer.unref()
  }

  const host: SearchHost = {
    engine,

    async start() {
      const startUp = async () => {
        try {
          if (engine.shared) {
            await engine.init(await loadDomainWords())
            ready = true
          } else {
            await loadOrBuild()
          }
        } catch (error) {
          log.error({ err: error }, '搜索索引建立失败，稍后重试')
          if (!stopped && !ready) {
            await new Promise((resolve) => setTimeout(resolve, retryMs).unref())
            retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
            return startUp()
          }
        }
        retryMs = POLL_MS
        schedule(0)
      }
      // Pages are served meanwhile: search answers "not ready yet" until this is done.
      void startUp()
    },

    async prepare(onProgress) {
      if (engine.shared) {
        await engine.init(await loadDomainWords())
        ready = true
      } else {
        await loadOrBuild(onProgress)
      }
      await drain()
    },

    async reload() {
      if (engine.shared || !options.snapshotFile) return
      const embedded = engine as ReturnType<typeof createEmbeddedEngine>
      const loaded = await embedded.loadSnapshot(options.snapshotFile, await databaseIdentity())
      if (!loaded) return
      position = BigInt(loaded.position)
      positionAtSnapshot = position
      ready = true
      log.info({ position: loaded.position }, '已载入重建后的搜索索引')
      host.nudge()
    },

    async stop() {
      stopped = true
      clearTimeout(pollTimer)
      await running?.catch(() => {})
      await engine.close()
    },

    nudge() {
      if (ready && options.follow) schedule(0)
    },

    async reindex(onProgress) {
      await build(onProgress)
      if (engine.shared) {
        // Every change up to the build is in the rebuilt index.
        await prisma.$executeRaw`
          UPDATE "SearchOutbox" SET "processedAt" = now() WHERE "processedAt" IS NULL
            AND seq <= ${position}`
      }
      await saveSnapshot()
    },

    drain,

    async status() {
      const [{ pending }] = engine.shared
        ? await prisma.$queryRaw<[{ pending: bigint }]>`
            SELECT count(*) AS pending FROM "SearchOutbox" WHERE "processedAt" IS NULL`
        : await prisma.$queryRaw<[{ pending: bigint }]>`
            SELECT count(*) AS pending FROM "SearchOutbox" WHERE seq > ${position}`
      let counts: Record<DocumentKind, number> | null = null
      try {
        counts = await engine.count()
      } catch {
        counts = null
      }
      return {
        engine: engine.name,
        ok: counts !== null,
        ready,
        pending: Number(pending),
        documents: {
          results: counts?.result ?? 0,
          needs: counts?.need ?? 0,
          experts: counts?.expert ?? 0,
        },
        ...(building ? { building } : {}),
      }
    },

    readiness() {
      return { ready, ...(building ? { building } : {}) }
    },

    search(kind, query, searchOptions) {
      return engine.search(kind, query, searchOptions)
    },
  }
  return host
}

/**
 * Which database this is, for snapshots: its name and object id, which a dropped and
 * re-created database of the same name does not keep.
 */
async function databaseIdentity() {
  const [{ identity }] = await prisma.$queryRaw<[{ identity: string }]>`
    SELECT current_database() || ':' || oid::text AS identity
    FROM pg_database WHERE datname = current_database()`
  return identity
}

/** The snapshot file of the embedded index under DATA_DIR. */
export function snapshotFileIn(dataDir: string) {
  return path.resolve(dataDir, 'search', `index-v${SNAPSHOT_VERSION}.bin`)
}

/** The engine the environment asks for: Meilisearch when MEILI_URL is set, else embedded. */
export function createConfiguredEngine(options: { threads?: number } = {}): SearchEngine {
  const url = process.env.MEILI_URL
  if (url) {
    return createMeilisearchEngine({
      url,
      apiKey: process.env.MEILI_MASTER_KEY || undefined,
      indexPrefix: process.env.MEILI_INDEX_PREFIX || undefined,
    })
  }
  return createEmbeddedEngine({ threads: options.threads })
}

type HostRegistry = typeof globalThis & { [HOST_KEY]?: SearchHost }

/**
 * This process's search host. The server starts it (startSearchHost); the pages, bundled
 * separately from the server, reach the same one through this global.
 */
export function getSearchHost(): SearchHost | undefined {
  return (globalThis as HostRegistry)[HOST_KEY]
}

/** Makes `host` this process's search host (the CLI and tests bring their own). */
export function setSearchHost(host: SearchHost | undefined) {
  const registry = globalThis as HostRegistry
  if (host) registry[HOST_KEY] = host
  else delete registry[HOST_KEY]
}

export async function startSearchHost(options: { threads?: number } = {}) {
  const registry = globalThis as HostRegistry
  if (registry[HOST_KEY]) return registry[HOST_KEY]
  const host = createSearchHost({
    engine: createConfiguredEngine(options),
    snapshotFile: snapshotFileIn(process.env.DATA_DIR || DEFAULT_DATA_DIR),
    follow: true,
  })
  registry[HOST_KEY] = host
  await host.start()
  return host
}

export async function stopSearchHost() {
  const registry = globalThis as HostRegistry
  const host = registry[HOST_KEY]
  delete registry[HOST_KEY]
  await host?.stop()
}

/** Why search cannot answer yet. */
export type SearchUnavailable =
  /** The index is still being built: `progress` in [0, 1] when known. */
  { state: 'building'; progress: number | null } | { state: 'unavailable' }

export type PublicSearchOutcome = { state: 'ready'; page: SearchPage } | SearchUnavailable

/** This process's search host when it can answer, or why it cannot. */
export function readySearchHost(): { state: 'ready'; host: SearchHost } | SearchUnavailable {
  const host = getSearchHost()
  if (!host) return { state: 'unavailable' }
  const { ready, building } = host.readiness()
  if (ready) return { state: 'ready', host }
  return {
    state: 'building',
    progress: building && building.total > 0 ? building.done / building.total : null,
  }
}

/** Filters as the engines take them, from the parameters of the search page or the API. */
export function toSearchFilters(params: SearchParams): SearchFilters {
  return {
    ...(params.field
      ? params.field.length === 2
        ? { field: params.field }
        : { subField: params.field }
      : {}),
    ...(params.trl !== undefined ? { trlMin: params.trl } : {}),
    ...(params.region ? { region: params.region } : {}),
    ...(params.local ? { local: params.local === 'true' } : {}),
    ...(params.mode ? { mode: params.mode } : {}),
    ...(params.band ? { amountBand: params.band } : {}),
  }
}

/**
 * A search of the public listings of one kind. Only public documents are ever indexed, so
 * nothing here needs to know who is asking.
 */
export async function searchPublic(
  kind: DocumentKind,
  params: SearchParams,
  options: { prefix?: boolean; facets?: boolean } = {},
): Promise<PublicSearchOutcome> {
  const available = readySearchHost()
  if (available.state !== 'ready') return available
  try {
    const page = await available.host.search(kind, params.q, {
      filters: toSearchFilters(params),
      sort: params.sort,
      offset: (params.page - 1) * params.limit,
      limit: params.limit,
      prefix: options.prefix ?? false,
      facets: options.facets ?? true,
    })
    return { state: 'ready', page }
  } catch (error) {
    log.warn({ err: error }, '搜索失败')
    return { state: 'unavailable' }
  }
}
