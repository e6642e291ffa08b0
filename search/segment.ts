import type { AnalyzedText, Analyzer } from './analyzer'
import type { SearchableText } from './documents'
import { SEARCH_FIELD_WEIGHTS, type SearchField } from './settings'

/**
 * A segment: the postings of a run of documents in compressed-row form (terms sorted, one
 * offset per term into flat arrays of document numbers and weighted frequencies). Segments
 * are immutable plain typed arrays, so they cross worker threads without copying, are written
 * to and read from a snapshot in one piece, and merge by walking their sorted terms.
 */
export interface Segment {
  terms: string[]
  /** Term t's postings are [offsets[t], offsets[t + 1]). */
  offsets: Uint32Array
  docs: Uint32Array
  /** Weighted frequencies in units of FREQUENCY_UNIT. */
  frequencies: Uint16Array
  /** Each document's weighted length, by the segment's own document numbers. */
  lengths: Float32Array
}

/**
 * Postings store weighted frequencies as 16-bit counts of this unit: every weight (fields,
 * pairs, pinyin) is a whole number of tenths, so nothing is lost, and the postings take a
 * quarter less memory than with 32-bit floats. Read a stored value times FREQUENCY_UNIT.
 */
export const FREQUENCY_UNIT = 0.1
const MAX_STORED_FREQUENCY = 0xffff

/** A weight in stored units, added to what is stored already (saturating, never wrapping). */
const addStored = (stored: number, weight: number) =>
  Math.min(MAX_STORED_FREQUENCY, stored + Math.round(weight / FREQUENCY_UNIT))

/** Character pairs find words inside longer words, but a whole word is the better match. */
export const GRAM_WEIGHT = 0.3
const PINYIN_WEIGHT = 1

/**
 * Feeds each term occurrence of a document to `visit` with its weight, and returns the
 * document's weighted length. A term may be visited several times: callers add up.
 */
export function visitTerms(
  analyzer: Analyzer,
  text: SearchableText,
  visit: (term: string, weight: number) => void,
) {
  let length = 0
  const count = (terms: string[], weight: number) => {
    for (const term of terms) visit(term, weight)
    length += terms.length * weight
  }
  const add = (analyzed: AnalyzedText, field: SearchField) => {
    count(analyzed.words, SEARCH_FIELD_WEIGHTS[field])
    count(analyzed.grams, GRAM_WEIGHT * SEARCH_FIELD_WEIGHTS[field])
    count(analyzed.pinyin, PINYIN_WEIGHT)
  }
  // Titles and keywords get pinyin keys and character pairs; a description's words come from
  // jieba's search mode, which already yields the words inside its longer words, and its
  // pairs would be most of the index for little gain.
  add(analyzer.analyze(text.title, { pinyin: true }), 'title')
  for (const keyword of text.keywords) add(analyzer.analyzeKeyword(keyword), 'keywords')
  add(analyzer.analyze(text.body, { grams: false }), 'body')
  return length
}

/** Each term of a text with its weighted frequency, as a document of it would be indexed. */
export function termFrequencies(analyzer: Analyzer, text: SearchableText) {
  const frequencies = new Map<string, number>()
  visitTerms(analyzer, text, (term, weight) =>
    frequencies.set(term, (frequencies.get(term) ?? 0) + weight),
  )
  return frequencies
}

/** Postings of one term while a segment or a tail is being written. */
export interface PostingList {
  docs: number[]
  /** In stored units (FREQUENCY_UNIT). */
  frequencies: number[]
}

/** Adds a visit of `doc` to a list: documents arrive in ascending order, each one whole. */
export function addPosting(list: PostingList, doc: number, weight: number) {
  const last = list.docs.length - 1
  if (last >= 0 && list.docs[last] === doc) {
    list.frequencies[last] = addStored(list.frequencies[last]!, weight)
  } else {
    list.docs.push(doc)
    list.frequencies.push(addStored(0, weight))
  }
}

/** Collects documents (numbered from 0 in the order added) into one segment. */
export function createSegmentBuilder(analyzer: Analyzer) {
  // Postings are appended as (term, document, frequency) triples to flat typed arrays and
  // sorted into rows only at the end: a hundred thousand growing arrays, one per term, would
  // keep the garbage collector busier than the analysis itself.
  const termIds = new Map<string, number>()
  let postingTerms = new Uint32Array(1 << 16)
  let postingDocs = new Uint32Array(1 << 16)
  let postingFrequencies = new Uint16Array(1 << 16)
  let postingCount = 0
  /** Per term: the last document that used it, and where that posting is. */
  let lastDoc = new Int32Array(1 << 12).fill(-1)
  let lastPosting = new Uint32Array(1 << 12)
  const lengths: number[] = []

  const visit = (doc: number) => (term: string, weight: number) => {
    let id = termIds.get(term)
    if (id === undefined) {
      id = termIds.size
      termIds.set(term, id)
      if (id === lastDoc.length) {
        lastDoc = grownTo(lastDoc, id * 2, -1)
        lastPosting = grownTo(lastPosting, id * 2)
      }
    }
    if (lastDoc[id] === doc) {
      const at = lastPosting[id]!
      postingFrequencies[at] = addStored(postingFrequencies[at]!, weight)
      return
    }
    if (postingCount === postingDocs.length) {
      postingTerms = grownTo(postingTerms, postingCount * 2)
      postingDocs = grownTo(postingDocs, postingCount * 2)
      postingFrequencies = grownTo(postingFrequencies, postingCount * 2)
    }
    postingTerms[postingCount] = id
    postingDocs[postingCount] = doc
    postingFrequencies[postingCount] = addStored(0, weight)
    lastDoc[id] = doc
    lastPosting[id] = postingCount
    postingCount += 1
  }

  return {
    get size() {
      return lengths.length
    },
    add(text: SearchableText) {
      const doc = lengths.length
      lengths.push(visitTerms(analyzer, text, visit(doc)))
      return doc
    },
    finish(): Segment {
      const terms = [...termIds.keys()].sort()
      const rankOf = new Uint32Array(terms.length)
      terms.forEach((term, rank) => (rankOf[termIds.get(term)!] = rank))
      // A counting sort by term rank; each term's documents stay in the order they came.
      const offsets = new Uint32Array(terms.length + 1)
      for (let index = 0; index < postingCount; index += 1) {
        offsets[rankOf[postingTerms[index]!]! + 1]! += 1
      }
      for (let rank = 0; rank < terms.length; rank += 1) offsets[rank + 1]! += offsets[rank]!
      const cursor = offsets.slice(0, terms.length)
      const docs = new Uint32Array(postingCount)
      const frequencies = new Uint16Array(postingCount)
      for (let index = 0; index < postingCount; index += 1) {
        const at = cursor[rankOf[postingTerms[index]!]!]!++
        docs[at] = postingDocs[index]!
        frequencies[at] = postingFrequencies[index]!
      }
      return { terms, offsets, docs, frequencies, lengths: Float32Array.from(lengths) }
    },
  }
}

/** The buffers of a segment's arrays, each once: what moves it to another thread. */
export function segmentBuffers(segment: Segment): ArrayBuffer[] {
  const arrays = [segment.offsets, segment.docs, segment.frequencies, segment.lengths]
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))]
}

function grownTo<T extends Uint32Array | Int32Array | Uint16Array>(
  array: T,
  size: number,
  fill = 0,
): T {
  const next = new (array.constructor as new (length: number) => T)(size)
  next.set(array)
  if (fill !== 0) next.fill(fill, array.length)
  return next
}

/** Posting lists by term, written out as a segment (without lengths). */
export function segmentOf(lists: ReadonlyMap<string, PostingList>): Segment {
  const terms = [...lists.keys()].sort()
  let postingCount = 0
  for (const list of lists.values()) postingCount += list.docs.length
  const offsets = new Uint32Array(terms.length + 1)
  const docs = new Uint32Array(postingCount)
  const frequencies = new Uint16Array(postingCount)
  let at = 0
  terms.forEach((term, index) => {
    const list = lists.get(term)!
    offsets[index] = at
    docs.set(list.docs, at)
    frequencies.set(list.frequencies, at)
    at += list.docs.length
  })
  offsets[terms.length] = at
  return { terms, offsets, docs, frequencies, lengths: new Float32Array(0) }
}

export function emptySegment(): Segment {
  return {
    terms: [],
    offsets: new Uint32Array(1),
    docs: new Uint32Array(0),
    frequencies: new Uint16Array(0),
    lengths: new Float32Array(0),
  }
}

/**
 * One segment from several, the documents of each shifted by its `docBase` (give the parts in
 * increasing docBase, so every term's documents stay in ascending order). Postings of
 * documents that `keep` rejects are dropped, as are terms left with none. Lengths are not
 * merged: the index keeps them per document itself.
 */
export function mergeSegments(
  parts: readonly { segment: Segment; docBase: number }[],
  keep: (doc: number) => boolean = () => true,
): Segment {
  let capacity = 0
  for (const { segment } of parts) capacity += segment.docs.length
  const docs = new Uint32Array(capacity)
  const frequencies = new Uint16Array(capacity)
  const terms: string[] = []
  const offsets: number[] = []
  const cursors = parts.map(() => 0)
  let at = 0
  for (;;) {
    // The smallest term at any cursor (few parts: a linear scan beats a heap).
    let next: string | undefined
    for (let part = 0; part < parts.length; part += 1) {
      const term = parts[part]!.segment.terms[cursors[part]!]
      if (term !== undefined && (next === undefined || term < next)) next = term
    }
    if (next === undefined) break
    const start = at
    for (let part = 0; part < parts.length; part += 1) {
      const { segment, docBase } = parts[part]!
      const index = cursors[part]!
      if (segment.terms[index] !== next) continue
      for (
        let posting = segment.offsets[index]!;
        posting < segment.offsets[index + 1]!;
        posting += 1
      ) {
        const doc = segment.docs[posting]! + docBase
        if (!keep(doc)) continue
        docs[at] = doc
        frequencies[at] = segment.frequencies[posting]!
        at += 1
      }
      cursors[part] = index + 1
    }
    if (at > start) {
      terms.push(next)
      offsets.push(start)
    }
  }
  offsets.push(at)
  return {
    terms,
    offsets: Uint32Array.from(offsets),
    // Copied only when postings were dropped: a copy of the whole would double the peak.
    docs: at === capacity ? docs : docs.slice(0, at),
    frequencies: at === capacity ? frequencies : frequencies.slice(0, at),
    lengths: new Float32Array(0),
  }
}
