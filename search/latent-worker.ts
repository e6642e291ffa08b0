// A thread that learns a built segment's latent space while the main thread merges and learns
// the other kinds. The segment's arrays are moved here and back, never copied.
import { parentPort } from 'node:worker_threads'

import { learnSegmentLatent, type SegmentLatent } from './latent'
import { segmentBuffers, type Segment } from './segment'

export interface LatentReply {
  segment: Segment
  latent: SegmentLatent | null
}

parentPort!.on('message', (segment: Segment) => {
  void learnSegmentLatent(segment).then((latent) =>
    parentPort!.postMessage({ segment, latent } satisfies LatentReply, [
      ...segmentBuffers(segment),
      ...(latent ? [latent.vectors.buffer as ArrayBuffer] : []),
    ]),
  )
})
