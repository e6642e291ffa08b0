import { FREQUENCY_UNIT, type Segment } from './segment'

/**
 * Latent semantic analysis (LSA) learned from an index's own postings: a truncated SVD of its
 * TF-IDF matrix, so that two texts on the same topic come out close although they share few
 * words. Matching mixes this similarity into its ranking (search/matching.ts); on real Chinese
 * abstracts it raised the share of same-topic results in the top 10 by about a sixth
 * (tests/eval, README).
 *
 * With A the documents × terms TF-IDF matrix of a sample of documents, subspace iteration on
 * A·Aᵀ gives its top eigenvectors U and values Σ²; the terms' latent vectors are V = Aᵀ·U·Σ⁻¹,
 * and any text, a document or a query, folds in as its TF-IDF vector times V.
 */

export interface LatentSpace {
  dimensions: number
  /** Row of each term in `idf` and `vectors`. */
  terms: Map<string, number>
  idf: Float32Array
  /** Term t's latent vector is [t · dimensions, (t + 1) · dimensions). */
  vectors: Float32Array
}

/**
 * Postings as an index holds them, frequencies in stored units (segment.ts); a term may come
 * in several parts.
 */
export interface PostingsSource {
  /** Document numbers are below this. */
  documents: number
  alive(doc: number): boolean
  aliveCount: number
  forEachPostings(
    visit: (
      term: string,
      docs: ArrayLike<number>,
      frequencies: ArrayLike<number>,
      start: number,
      end: number,
    ) => void,
  ): void
}

/** On the evaluation set 64 dimensions found as many same-topic results as 100. */
export const LATENT_DIMENSIONS = 64
/** Documents the space is learned from: more cost time and change it little. */
const SAMPLE_DOCUMENTS = 2_000
/** The commonest terms (by document frequency) that span the space. */
const VOCABULARY = 20_000
const EXTRA_COLUMNS = 10
/** Power iterations: with the extra columns, more changed nothing on the evaluation set. */
const ITERATIONS = 3
/** A scale for storing unit vectors as bytes. */
export const LATENT_SCALE = 127

/** A term's weight in a text: dampened frequency times inverse document frequency. */
const termWeight = (frequency: number, idf: number) => Math.log1p(frequency) * idf
/** The same from a posting's stored frequency. */
const postingWeight = (stored: number, idf: number) => termWeight(stored * FREQUENCY_UNIT, idf)

/**
 * Learns the latent space of an index, of at most `dimensions` (fewer for a small index); null
 * when it has too few documents or terms to mean anything. Awaits `pause` between its passes,
 * so that a caller can let its event loop turn.
 */
export async function learnLatentSpace(
  source: PostingsSource,
  dimensions = LATENT_DIMENSIONS,
  pause: () => Promise<unknown> = async () => {},
): Promise<LatentSpace | null> {
  const total = source.aliveCount

  const frequency = new Map<string, number>()
  source.forEachPostings((term, _docs, _frequencies, start, end) => {
    frequency.set(term, (frequency.get(term) ?? 0) + end - start)
  })
  // Terms in most documents say nothing of topics. Rare ones are kept while the vocabulary
  // has room: on the evaluation set, leaving out the terms of one document cost a tenth of
  // the space's precision.
  const chosen = [...frequency]
    .filter(([, df]) => df <= total / 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, VOCABULARY)
  const terms = new Map(chosen.map(([term], row) => [term, row]))
  const idf = Float32Array.from(chosen, ([, df]) => Math.log(total / df))
  const termCount = chosen.length
  // A space must be much smaller than what it sums up, or it only copies the documents.
  dimensions = Math.min(dimensions, Math.floor(termCount / 4), Math.floor(total / 4))
  if (dimensions < 2) return null

  // The sample: every stride-th live document, with its row of A normalised to unit length.
  const stride = Math.max(1, Math.ceil(total / SAMPLE_DOCUMENTS))
  const sampleRow = new Int32Array(source.documents).fill(-1)
  let sampleCount = 0
  let seen = 0
  for (let doc = 0; doc < source.documents; doc += 1) {
    if (!source.alive(doc)) continue
    if (seen++ % stride === 0) sampleRow[doc] = sampleCount++
  }
  const norms = new Float64Array(sampleCount)
  const perTerm = new Uint32Array(termCount + 1)
  source.forEachPostings((term, docs, frequencies, start, end) => {
    const row = terms.get(term)
    if (row === undefined) return
    for (let index = start; index < end; index += 1) {
      const sample = sampleRow[docs[index]!]!
      if (sample < 0) continue
      norms[sample]! += postingWeight(frequencies[index]!, idf[row]!) ** 2
      perTerm[row + 1]! += 1
    }
  })
  for (let row = 0; row < termCount; row += 1) perTerm[row + 1]! += perTerm[row]!
  await pause()
  // A, term by term: (sample row, weight) entries.
  const entryRows = new Uint32Array(perTerm[termCount]!)
  const entryWeights = new Float32Array(perTerm[termCount]!)
  const cursor = perTerm.slice(0, termCount)
  source.forEachPostings((term, docs, frequencies, start, end) => {
    const row = terms.get(term)
    if (row === undefined) return
    for (let index = start; index < end; index += 1) {
      const sample = sampleRow[docs[index]!]!
      if (sample < 0) continue
      const at = cursor[row]!++
      entryRows[at] = sample
      entryWeights[at] = postingWeight(frequencies[index]!, idf[row]!) / Math.sqrt(norms[sample]!)
    }
  })

  const columns = Math.min(dimensions + EXTRA_COLUMNS, sampleCount)
  /** Aᵀ·Q: terms × columns. */
  const transposeTimes = (q: Float64Array) => {
    const out = new Float64Array(termCount * columns)
    for (let row = 0; row < termCount; row += 1) {
      const target = row * columns
      for (let at = perTerm[row]!; at < perTerm[row + 1]!; at += 1) {
        const weight = entryWeights[at]!
        const from = entryRows[at]! * columns
        for (let column = 0; column < columns; column += 1) {
          out[target + column]! += weight * q[from + column]!
        }
      }
    }
    return out
  }
  /** A·Z: sample × columns. */
  const times = (z: Float64Array) => {
    const out = new Float64Array(sampleCount * columns)
    for (let row = 0; row < termCount; row += 1) {
      const from = row * columns
      for (let at = perTerm[row]!; at < perTerm[row + 1]!; at += 1) {
        const weight = entryWeights[at]!
        const target = entryRows[at]! * columns
        for (let column = 0; column < columns; column += 1) {
          out[target + column]! += weight * z[from + column]!
        }
      }
    }
    return out
  }

  let q = new Float64Array(sampleCount * columns)
  // A fixed start, so that the same index always learns the same space.
  let seed = 20_141_203
  for (let index = 0; index < q.length; index += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    q[index] = seed / 2_147_483_648 - 0.5
  }
  orthonormalize(q, sampleCount, columns)
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    await pause()
    q = times(transposeTimes(q))
    orthonormalize(q, sampleCount, columns)
  }
  await pause()
  // Rayleigh–Ritz: Qᵀ·A·Aᵀ·Q = Zᵀ·Z with Z = Aᵀ·Q, whose eigenvectors W turn Q into U = Q·W.
  const z = transposeTimes(q)
  const small = new Float64Array(columns * columns)
  for (let row = 0; row < termCount; row += 1) {
    const at = row * columns
    for (let i = 0; i < columns; i += 1) {
      const zi = z[at + i]!
      if (zi === 0) continue
      for (let j = i; j < columns; j += 1) small[i * columns + j]! += zi * z[at + j]!
    }
  }
  for (let i = 0; i < columns; i += 1) {
    for (let j = 0; j < i; j += 1) small[i * columns + j] = small[j * columns + i]!
  }
  const { values, vectors: w } = symmetricEigen(small, columns)
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, dimensions)
  // V = Aᵀ·U·Σ⁻¹ = Z·W·Σ⁻¹.
  const vectors = new Float32Array(termCount * dimensions)
  order.forEach((eigen, rank) => {
    const sigma = Math.sqrt(Math.max(values[eigen]!, 1e-12))
    for (let row = 0; row < termCount; row += 1) {
      let sum = 0
      for (let i = 0; i < columns; i += 1) sum += z[row * columns + i]! * w[i * columns + eigen]!
      vectors[row * dimensions + rank] = sum / sigma
    }
  })
  return { dimensions, terms, idf, vectors }
}

/** A text's latent vector, unit length, from its terms and their frequencies; null if none is known. */
export function foldIn(space: LatentSpace, frequencies: ReadonlyMap<string, number>) {
  const { dimensions, vectors } = space
  const out = new Float64Array(dimensions)
  let any = false
  for (const [term, frequency] of frequencies) {
    const row = space.terms.get(term)
    if (row === undefined) continue
    any = true
    const weight = termWeight(frequency, space.idf[row]!)
    for (let rank = 0; rank < dimensions; rank += 1) {
      out[rank]! += weight * vectors[row * dimensions + rank]!
    }
  }
  if (!any) return null
  let norm = 0
  for (const value of out) norm += value * value
  norm = Math.sqrt(norm)
  return norm > 0 ? out.map((value) => value / norm) : null
}

/**
 * Documents whose sums are collected at once: a block's sums (a megabyte) stay in the cache,
 * where scattering into every document's sums at once missed it on nearly every posting and
 * took twice as long.
 */
const VECTOR_BLOCK = 4_096

/**
 * Every document's latent vector, through the postings, as bytes (see LATENT_SCALE). Works a
 * block of documents at a time and awaits `pause` between blocks, so that a caller can let
 * its event loop turn.
 */
export async function documentVectors(
  space: LatentSpace,
  source: PostingsSource,
  capacity: number,
  pause: () => Promise<unknown> = async () => {},
) {
  const { dimensions, vectors } = space
  const lists: {
    row: number
    docs: ArrayLike<number>
    frequencies: ArrayLike<number>
    /** The first posting not yet summed: the lists are in ascending document order. */
    at: number
    end: number
  }[] = []
  source.forEachPostings((term, docs, frequencies, start, end) => {
    const row = space.terms.get(term)
    if (row !== undefined && end > start) lists.push({ row, docs, frequencies, at: start, end })
  })
  const sums = new Float32Array(VECTOR_BLOCK * dimensions)
  const out = new Int8Array(Math.max(capacity, source.documents) * dimensions)
  for (let first = 0; first < source.documents; first += VECTOR_BLOCK) {
    const last = Math.min(first + VECTOR_BLOCK, source.documents)
    sums.fill(0)
    for (const list of lists) {
      const { docs, frequencies, end } = list
      const idf = space.idf[list.row]!
      const from = list.row * dimensions
      let index = list.at
      for (; index < end; index += 1) {
        const doc = docs[index]!
        if (doc >= last) break
        const weight = postingWeight(frequencies[index]!, idf)
        const target = (doc - first) * dimensions
        for (let rank = 0; rank < dimensions; rank += 1) {
          sums[target + rank]! += weight * vectors[from + rank]!
        }
      }
      list.at = index
    }
    for (let doc = first; doc < last; doc += 1) {
      const at = (doc - first) * dimensions
      if (source.alive(doc)) storeVector(out, doc, sums.subarray(at, at + dimensions))
    }
    await pause()
  }
  return out
}

/** A freshly built segment's postings, where every document is alive. */
function segmentSource(segment: Segment): PostingsSource {
  const documents = segment.lengths.length
  return {
    documents,
    alive: () => true,
    aliveCount: documents,
    forEachPostings(visit) {
      for (let position = 0; position < segment.terms.length; position += 1) {
        visit(
          segment.terms[position]!,
          segment.docs,
          segment.frequencies,
          segment.offsets[position]!,
          segment.offsets[position + 1]!,
        )
      }
    },
  }
}

/** The latent space of a built segment and its documents' vectors; null if it is too small. */
export async function learnSegmentLatent(
  segment: Segment,
  pause?: () => Promise<unknown>,
): Promise<SegmentLatent | null> {
  const source = segmentSource(segment)
  const space = await learnLatentSpace(source, LATENT_DIMENSIONS, pause)
  return space && { space, vectors: await documentVectors(space, source, source.documents, pause) }
}

export interface SegmentLatent {
  space: LatentSpace
  /** Document d's vector is [d · dimensions, (d + 1) · dimensions), as bytes. */
  vectors: Int8Array
}

/** Writes a vector, normalised, as bytes at `doc`'s place. */
export function storeVector(store: Int8Array, doc: number, vector: ArrayLike<number>) {
  const dimensions = vector.length
  let norm = 0
  for (let rank = 0; rank < dimensions; rank += 1) norm += vector[rank]! ** 2
  norm = Math.sqrt(norm)
  if (norm === 0) return
  for (let rank = 0; rank < dimensions; rank += 1) {
    store[doc * dimensions + rank] = Math.round((vector[rank]! / norm) * LATENT_SCALE)
  }
}

/** Cosine of a unit query vector and a stored document vector (0 when it has none). */
export function cosine(store: Int8Array, doc: number, query: ArrayLike<number>) {
  const dimensions = query.length
  let dot = 0
  for (let rank = 0; rank < dimensions; rank += 1) {
    dot += store[doc * dimensions + rank]! * query[rank]!
  }
  return dot / LATENT_SCALE
}

/** Modified Gram–Schmidt on the columns of a row-major rows × columns matrix. */
function orthonormalize(matrix: Float64Array, rows: number, columns: number) {
  for (let j = 0; j < columns; j += 1) {
    for (let previous = 0; previous < j; previous += 1) {
      let dot = 0
      for (let row = 0; row < rows; row += 1) {
        dot += matrix[row * columns + j]! * matrix[row * columns + previous]!
      }
      for (let row = 0; row < rows; row += 1) {
        matrix[row * columns + j]! -= dot * matrix[row * columns + previous]!
      }
    }
    let norm = 0
    for (let row = 0; row < rows; row += 1) norm += matrix[row * columns + j]! ** 2
    norm = Math.sqrt(norm) || 1
    for (let row = 0; row < rows; row += 1) matrix[row * columns + j]! /= norm
  }
}

/** Eigenvalues and eigenvectors (as columns) of a small symmetric matrix, by Jacobi rotations. */
export function symmetricEigen(input: Float64Array, size: number) {
  const a = Float64Array.from(input)
  const v = new Float64Array(size * size)
  for (let i = 0; i < size; i += 1) v[i * size + i] = 1
  for (let sweep = 0; sweep < 50; sweep += 1) {
    let off = 0
    for (let p = 0; p < size; p += 1) {
      for (let r = p + 1; r < size; r += 1) off += a[p * size + r]! ** 2
    }
    if (off < 1e-22) break
    for (let p = 0; p < size; p += 1) {
      for (let r = p + 1; r < size; r += 1) {
        const apr = a[p * size + r]!
        if (Math.abs(apr) < 1e-300) continue
        const theta = (a[r * size + r]! - a[p * size + p]!) / (2 * apr)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < size; k += 1) {
          const akp = a[k * size + p]!
          const akr = a[k * size + r]!
          a[k * size + p] = c * akp - s * akr
          a[k * size + r] = s * akp + c * akr
        }
        for (let k = 0; k < size; k += 1) {
          const apk = a[p * size + k]!
          const ark = a[r * size + k]!
          a[p * size + k] = c * apk - s * ark
          a[r * size + k] = s * apk + c * ark
        }
        for (let k = 0; k < size; k += 1) {
          const vkp = v[k * size + p]!
          const vkr = v[k * size + r]!
          v[k * size + p] = c * vkp - s * vkr
          v[k * size + r] = s * vkp + c * vkr
        }
      }
    }
  }
  const values = Array.from({ length: size }, (_, i) => a[i * size + i]!)
  return { values, vectors: v }
}
