// Latent semantic analysis over a small corpus, for the evaluation: a truncated SVD of the
// TF-IDF matrix learned from the indexed texts, and the cosine of a query to each text in the
// latent space. The evaluation measures whether mixing it into the matcher's ranking helps.
//
// With n texts and A their n × V TF-IDF matrix, the top k eigenpairs of the n × n Gram matrix
// A·Aᵀ = U·Λ·Uᵀ give the SVD A ≈ U·Σ·Vᵀ (Σ = √Λ). A text's latent vector is its row of U·Σ;
// a query q folds in as q·V = (A·q)ᵀ·U·Σ⁻¹, which needs only q's dot products with the texts.

type SparseVector = Map<number, number>

export interface LatentSpace {
  /** Cosine similarity in the latent space between a query text and every indexed text. */
  similarities(query: string): Float64Array
}

function normalize(vector: SparseVector) {
  let norm = 0
  for (const value of vector.values()) norm += value * value
  norm = Math.sqrt(norm) || 1
  for (const [key, value] of vector) vector.set(key, value / norm)
  return vector
}

/** Top `k` eigenpairs of a symmetric n × n matrix by subspace iteration, largest first. */
function topEigenpairs(matrix: Float64Array, n: number, k: number, iterations = 40) {
  let basis = new Float64Array(n * k)
  // A fixed pseudo-random start, so that every run gives the same figures.
  let seed = 12345
  for (let index = 0; index < basis.length; index++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    basis[index] = seed / 2147483648 - 0.5
  }
  const orthonormalize = (columns: Float64Array) => {
    for (let j = 0; j < k; j++) {
      for (let previous = 0; previous < j; previous++) {
        let dot = 0
        for (let row = 0; row < n; row++)
          dot += columns[row * k + j]! * columns[row * k + previous]!
        for (let row = 0; row < n; row++)
          columns[row * k + j]! -= dot * columns[row * k + previous]!
      }
      let norm = 0
      for (let row = 0; row < n; row++) norm += columns[row * k + j]! ** 2
      norm = Math.sqrt(norm) || 1
      for (let row = 0; row < n; row++) columns[row * k + j]! /= norm
    }
  }
  const multiply = (columns: Float64Array) => {
    const out = new Float64Array(n * k)
    for (let row = 0; row < n; row++) {
      for (let inner = 0; inner < n; inner++) {
        const value = matrix[row * n + inner]!
        if (value === 0) continue
        for (let j = 0; j < k; j++) out[row * k + j]! += value * columns[inner * k + j]!
      }
    }
    return out
  }
  orthonormalize(basis)
  for (let iteration = 0; iteration < iterations; iteration++) {
    basis = multiply(basis)
    orthonormalize(basis)
  }
  // Rayleigh quotients give the eigenvalues; the columns are sorted by them.
  const product = multiply(basis)
  const values = Array.from({ length: k }, (_, j) => {
    let sum = 0
    for (let row = 0; row < n; row++) sum += basis[row * k + j]! * product[row * k + j]!
    return { j, value: sum }
  }).sort((a, b) => b.value - a.value)
  return {
    basis,
    order: values.map((entry) => entry.j),
    values: values.map((entry) => entry.value),
  }
}

/** Learns the latent space of `texts`, each cut into words by `words`. */
export function learnLatentSpace(
  texts: readonly string[],
  words: (text: string) => string[],
  dimensions: number,
): LatentSpace {
  const vocabulary = new Map<string, number>()
  const counts = texts.map((text) => {
    const vector: SparseVector = new Map()
    for (const word of words(text)) {
      let id = vocabulary.get(word)
      if (id === undefined) {
        id = vocabulary.size
        vocabulary.set(word, id)
      }
      vector.set(id, (vector.get(id) ?? 0) + 1)
    }
    return vector
  })
  const documentFrequency = new Float64Array(vocabulary.size)
  for (const vector of counts) for (const id of vector.keys()) documentFrequency[id]! += 1
  const n = texts.length
  const idf = (id: number) => Math.log(n / documentFrequency[id]!)
  const weigh = (vector: SparseVector) => {
    const weighted: SparseVector = new Map()
    for (const [id, count] of vector) weighted.set(id, (1 + Math.log(count)) * idf(id))
    return normalize(weighted)
  }
  const rows = counts.map(weigh)

  // The Gram matrix through the postings: texts sharing a word add to their pair.
  const postings = Array.from({ length: vocabulary.size }, () => [] as [number, number][])
  rows.forEach((row, index) => {
    for (const [id, weight] of row) postings[id]!.push([index, weight])
  })
  const gram = new Float64Array(n * n)
  for (const list of postings) {
    for (const [a, wa] of list) for (const [b, wb] of list) gram[a * n + b]! += wa * wb
  }
  const k = Math.min(dimensions, n)
  const { basis, order, values } = topEigenpairs(gram, n, k)
  const sigma = values.map((value) => Math.sqrt(Math.max(value, 1e-12)))
  // Each text's latent vector (a row of U·Σ), unit length for the cosine.
  const latent = rows.map((_, index) => {
    const vector = order.map((j, rank) => basis[index * k + j]! * sigma[rank]!)
    const norm = Math.hypot(...vector) || 1
    return vector.map((value) => value / norm)
  })

  return {
    similarities(query) {
      const counted: SparseVector = new Map()
      for (const word of words(query)) {
        const id = vocabulary.get(word)
        if (id !== undefined) counted.set(id, (counted.get(id) ?? 0) + 1)
      }
      const q = weigh(counted)
      // A·q: the query's dot product with every text, through the postings.
      const dots = new Float64Array(n)
      for (const [id, weight] of q)
        for (const [index, w] of postings[id]!) dots[index]! += weight * w
      const folded = order.map((j, rank) => {
        let sum = 0
        for (let index = 0; index < n; index++) sum += dots[index]! * basis[index * k + j]!
        return sum / sigma[rank]!
      })
      const norm = Math.hypot(...folded) || 1
      const out = new Float64Array(n)
      latent.forEach((vector, index) => {
        let dot = 0
        for (let rank = 0; rank < k; rank++) dot += vector[rank]! * folded[rank]!
        out[index] = dot / norm
      })
      return out
    },
  }
}
