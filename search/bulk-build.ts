import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

import { createAnalyzer, type Analyzer } from './analyzer'
import type { BuildReply, BuildRequest } from './build-worker'
import { DOCUMENT_KINDS, type DocumentKind, type SearchDocument } from './documents'
import { indexFromSegment, type EmbeddedIndex, type IndexedDocument } from './embedded-index'
import { createSegmentBuilder, mergeSegments, type Segment } from './segment'

/**
 * Builds the three indexes from scratch. Analysing text (jieba, pinyin) is nearly all of the
 * work, so it runs on worker threads when it can: each thread turns the batches it is given
 * into segments, and the segments are merged here. The caller's event loop stays free to
 * answer requests meanwhile.
 */
export interface BulkSource {
  /** Domain words for the segmenter: field names and the listings' keywords. */
  words: readonly string[]
  /** Every public document, in batches of any kinds. */
  batches: AsyncIterable<SearchDocument[]>
  /** How many documents the batches hold, when known: small builds skip the threads. */
  expected?: number
}

/** Below this many documents, starting threads costs more than it saves. */
const THREADS_FROM_DOCUMENTS = 5_000

export interface BuiltIndexes {
  analyzer: Analyzer
  indexes: Record<DocumentKind, EmbeddedIndex>
}

/**
 * The young generation of a build thread. Analysis allocates short-lived strings by the
 * million; V8's default (16 MB semi-spaces) scavenges so often that a build takes a fifth
 * longer, while a large one costs hundreds of megabytes per thread.
 */
const BUILD_THREAD_YOUNG_MB = 48

/** Batches in flight per thread: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 2
/**
 * Documents after which a thread hands back what it has built and starts afresh: finished
 * segments take a third of the memory of the postings being collected, so the threads' memory
 * stays bounded however large the build.
 */
const FLUSH_DOCUMENTS = 15_000

const WORKER_SOURCE = fileURLToPath(new URL('./build-worker.ts', import.meta.url))

/** Threads need the worker's TypeScript source and tsx to run it; bundled copies have neither. */
function canUseThreads() {
  return existsSync(WORKER_SOURCE)
}

function startWorker(words: readonly string[]) {
  const require = createRequire(import.meta.url)
  const tsxApi = path.join(
    path.dirname(require.resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  )
  const source = `import(${JSON.stringify(pathToFileURL(tsxApi).href)})
    .then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(WORKER_SOURCE).href)}) })`
  return new Worker(source, {
    eval: true,
    workerData: { words },
    resourceLimits: { maxYoungGenerationSizeMb: BUILD_THREAD_YOUNG_MB },
  })
}

interface Part {
  segments: Record<DocumentKind, Segment>
  documents: Record<DocumentKind, IndexedDocument[]>
}

function metadataOf(document: SearchDocument): IndexedDocument {
  return {
    id: document.id,
    facets: document.facets,
    sort: document.sort,
    display: document.display,
  }
}

function emptyDocuments(): Record<DocumentKind, IndexedDocument[]> {
  return { result: [], need: [], expert: [] }
}

async function buildInThisThread(
  source: BulkSource,
  analyzer: Analyzer,
  onProgress: (documents: number) => void,
): Promise<Part[]> {
  const builders = {
    result: createSegmentBuilder(analyzer),
    need: createSegmentBuilder(analyzer),
    expert: createSegmentBuilder(analyzer),
  }
  const documents = emptyDocuments()
  let done = 0
  for await (const batch of source.batches) {
    for (const document of batch) {
      builders[document.kind].add(document.text)
      documents[document.kind].push(metadataOf(document))
    }
    done += batch.length
    onProgress(done)
    await yieldToEventLoop()
  }
  return [
    {
      segments: {
        result: builders.result.finish(),
        need: builders.need.finish(),
        expert: builders.expert.finish(),
      },
      documents,
    },
  ]
}

async function buildOnThreads(
  source: BulkSource,
  threads: number,
  flushEvery: number,
  onProgress: (documents: number) => void,
): Promise<Part[]> {
  const workers = Array.from({ length: threads }, () => {
    const worker = startWorker(source.words)
    const state = {
      worker,
      /** Metadata of the documents sent since the last flush, in the order sent. */
      documents: emptyDocuments(),
      sinceFlush: 0,
      /** Parts handed back so far, in order. */
      parts: [] as Promise<Part>[],
      inFlight: 0,
      /** Resolves the oldest waiting send or finish. */
      waiting: [] as ((reply: BuildReply) => void)[],
      failure: null as Error | null,
    }
    worker.on('message', (reply: BuildReply) => state.waiting.shift()?.(reply))
    worker.on('error', (error) => {
      state.failure = error
      for (const resolve of state.waiting.splice(0)) resolve({ type: 'added', count: 0 })
    })
    return state
  })
  const request = (state: (typeof workers)[number], message: BuildRequest) =>
    new Promise<BuildReply>((resolve) => {
      state.waiting.push(resolve)
      state.worker.postMessage(message)
    })
  const check = () => {
    const failed = workers.find((state) => state.failure)
    if (failed) throw failed.failure
  }
  /** Asks a thread for what it has built so far, paired with those documents' metadata. */
  const flush = (state: (typeof workers)[number]) => {
    const documents = state.documents
    state.documents = emptyDocuments()
    state.sinceFlush = 0
    const part = request(state, { type: 'flush' }).then((reply) => {
      check()
      if (reply.type !== 'flushed') throw new Error('索引构建线程未返回结果')
      return { segments: reply.segments, documents }
    })
    // Awaited once the build is done, where a failure is thrown; not an unhandled one before.
    part.catch(() => {})
    state.parts.push(part)
  }
  try {
    let done = 0
    let turn = 0
    const pending = new Set<Promise<void>>()
    for await (const batch of source.batches) {
      check()
      // Round robin over the threads, waiting for one when all are full.
      let state = workers[turn++ % threads]!
      while (state.inFlight >= IN_FLIGHT) {
        await Promise.race(pending)
        check()
        state = workers.find((candidate) => candidate.inFlight < IN_FLIGHT) ?? state
      }
      for (const document of batch) state.documents[document.kind].push(metadataOf(document))
      state.sinceFlush += batch.length
      state.inFlight += 1
      const sent = request(state, {
        type: 'add',
        documents: batch.map((document) => ({ kind: document.kind, text: document.text })),
      }).then(() => {
        state.inFlight -= 1
        done += batch.length
        onProgress(done)
        pending.delete(sent)
      })
      pending.add(sent)
      if (state.sinceFlush >= flushEvery) flush(state)
    }
    await Promise.all(pending)
    check()
    for (const state of workers) flush(state)
    // Each thread's parts in the order they were built: the same source numbers its
    // documents the same way every time.
    return await Promise.all(workers.flatMap((state) => state.parts))
  } finally {
    await Promise.all(workers.map((state) => state.worker.terminate()))
  }
}

/** One index per kind from the parts, each part's documents numbered after the previous. */
function mergeParts(analyzer: Analyzer, parts: Part[]): Record<DocumentKind, EmbeddedIndex> {
  const indexes = {} as Record<DocumentKind, EmbeddedIndex>
  for (const kind of DOCUMENT_KINDS) {
    let docBase = 0
    const placed = parts.map((part) => {
      const placement = { segment: part.segments[kind], docBase }
      docBase += part.documents[kind].length
      return placement
    })
    const merged = parts.length === 1 ? parts[0]!.segments[kind] : mergeSegments(placed)
    const lengths = new Float32Array(docBase)
    for (const { segment, docBase: at } of placed) lengths.set(segment.lengths, at)
    merged.lengths = lengths
    indexes[kind] = indexFromSegment(
      analyzer,
      merged,
      parts.flatMap((part) => part.documents[kind]),
    )
  }
  return indexes
}

/**
 * @param threads worker threads to analyse on; 0 analyses here, between turns of the event
 *   loop. Without the worker's source at hand (a bundled copy) it always analyses here.
 */
export async function buildIndexes(
  source: BulkSource,
  options: {
    threads?: number
    /** Documents per thread between flushes (FLUSH_DOCUMENTS). */
    flushEvery?: number
    onProgress?: (documents: number) => void
  } = {},
): Promise<BuiltIndexes> {
  const small = source.expected !== undefined && source.expected < THREADS_FROM_DOCUMENTS
  const threads = canUseThreads() && !small ? (options.threads ?? 0) : 0
  const onProgress = options.onProgress ?? (() => {})
  // Queries and later additions go through an analyzer with the same dictionary.
  const analyzer = createAnalyzer({ words: source.words })
  const parts =
    threads > 0
      ? await buildOnThreads(source, threads, options.flushEvery ?? FLUSH_DOCUMENTS, onProgress)
      : await buildInThisThread(source, analyzer, onProgress)
  return { analyzer, indexes: mergeParts(analyzer, parts) }
}
