// A thread of a bulk index build: analyses the documents it is sent into one segment per kind
// and hands the segments back when asked (then starts afresh), their arrays transferred rather
// than copied.
import { parentPort, workerData } from 'node:worker_threads'

import { createAnalyzer } from './analyzer'
import type { DocumentKind, SearchableText } from './documents'
import { createSegmentBuilder, segmentBuffers, type Segment } from './segment'

export type BuildRequest =
  { type: 'add'; documents: { kind: DocumentKind; text: SearchableText }[] } | { type: 'flush' }

export type BuildReply =
  { type: 'added'; count: number } | { type: 'flushed'; segments: Record<DocumentKind, Segment> }

const analyzer = createAnalyzer({ words: (workerData as { words: string[] }).words })
const freshBuilders = () => ({
  result: createSegmentBuilder(analyzer),
  need: createSegmentBuilder(analyzer),
  expert: createSegmentBuilder(analyzer),
})
let builders = freshBuilders()

parentPort!.on('message', (request: BuildRequest) => {
  if (request.type === 'add') {
    for (const { kind, text } of request.documents) builders[kind].add(text)
    parentPort!.postMessage({ type: 'added', count: request.documents.length } satisfies BuildReply)
    return
  }
  const segments = {
    result: builders.result.finish(),
    need: builders.need.finish(),
    expert: builders.expert.finish(),
  }
  builders = freshBuilders()
  parentPort!.postMessage(
    { type: 'flushed', segments } satisfies BuildReply,
    Object.values(segments).flatMap(segmentBuffers),
  )
})
