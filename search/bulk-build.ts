import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

import { createAnalyzer, type Analyzer } from './analyzer'
import type { BuildReply, BuildRequest } from './build-worker'
import { DOCUMENT_KINDS, type DocumentKind, type SearchDocument } from './documents'
import { indexFromSegment, type EmbeddedIndex, type IndexedDocument } from './embedded-index'
import { learnSegmentLatent, type SegmentLatent } from './latent'
import type { LatentReply } from './latent-worker'
import {
  createSegmentBuilder,
  emptySegment,
  mergeSegments,
  segmentBuffers,
  type Segment,
} from './segment'

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

const BUILD_WORKER = fileURLToPath(new URL('./build-worker.ts', import.meta.url))
const LATENT_WORKER = fileURLToPath(new URL('./latent-worker.ts', import.meta.url))

/** Threads need the workers' TypeScript source and tsx to run it; bundled copies have neither. */
function canUseThreads() {
  return existsSync(BUILD_WORKER) && existsSync(LATENT_WORKER)
}

function startWorker(file: string, options: WorkerOptions = {}) {
  const require = createRequire(import.meta.url)
  const tsxApi = path.join(
    path.dirname(require.resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  )
  const source = `import(${JSON.stringify(pathToFileURL(tsxApi).href)})
    .then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(file).href)}) })`
  return new Worker(source, { ...options, eval: true })
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
    const worker = startWorker(BUILD_WORKER, {
      workerData: { words: source.words },
      resourceLimits: { maxYoungGenerationSizeMb: BUILD_THREAD_YOUNG_MB },
    })
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

/** One kind's segment from the parts, each part's documents numbered after the previous. */
function mergeKind(parts: Part[], kind: DocumentKind) {
  let docBase = 0
  const placed = parts.map((part) => {
    const placement = { segment: part.segments[kind], docBase }
    docBase += part.documents[kind].length
    return placement
  })
  const segment = parts.length === 1 ? parts[0]!.segments[kind] : mergeSegments(placed)
  const lengths = new Float32Array(docBase)
  for (const { segment: part, docBase: at } of placed) lengths.set(part.lengths, at)
  segment.lengths = lengths
  // The parts' postings are garbage from here on, before the next kind is merged.
  for (const part of parts) part.segments[kind] = emptySegment()
  return { segment, documents: parts.flatMap((part) => part.documents[kind]) }
}

/** Learns a segment's latent space on a thread of its own; the segment comes back with it. */
function learnOnThread(segment: Segment) {
  const worker = startWorker(LATENT_WORKER)
  return new Promise<LatentReply>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.postMessage(segment, segmentBuffers(segment))
  }).finally(() => worker.terminate())
}

/**
 * One index per kind from the parts, with its latent space. With threads, the first kind
 * (results, the bulk of a market) learns on a thread while the others merge and learn here;
 * the event loop turns between steps.
 */
async function indexesFromParts(
  analyzer: Analyzer,
  parts: Part[],
  withThread: boolean,
): Promise<Record<DocumentKind, EmbeddedIndex>> {
  const learned: Promise<{ segment: Segment; latent: SegmentLatent | null }>[] = []
  const documents: IndexedDocument[][] = []
  for (const kind of DOCUMENT_KINDS) {
    await yieldToEventLoop()
    const merged = mergeKind(parts, kind)
    documents.push(merged.documents)
    if (withThread && learned.length === 0) learned.push(learnOnThread(merged.segment))
    else {
      const latent = await learnSegmentLatent(merged.segment, yieldToEventLoop)
      learned.push(Promise.resolve({ segment: merged.segment, latent }))
    }
  }
  const results = await Promise.all(learned)
  return Object.fromEntries(
    DOCUMENT_KINDS.map((kind, position) => {
      const { segment, latent } = results[position]!
      return [kind, indexFromSegment(analyzer, segment, documents[position]!, latent)]
    }),
  ) as Record<DocumentKind, EmbeddedIndex>
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
  if (threads > 0) {
    const flushEvery = options.flushEvery ?? FLUSH_DOCUMENTS
    const parts = await buildOnThreads(source, threads, flushEvery, onProgress)
    // Queries and later additions go through an analyzer with the same dictionary, made once
    // the threads (each with its own) are gone.
    const analyzer = createAnalyzer({ words: source.words })
    return { analyzer, indexes: await indexesFromParts(analyzer, parts, true) }
  }
  const analyzer = createAnalyzer({ words: source.words })
  const parts = await buildInThisThread(source, analyzer, onProgress)
  return { analyzer, indexes: await indexesFromParts(analyzer, parts, false) }
}
