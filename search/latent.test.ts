import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import {
  cosine,
  documentVectors,
  foldIn,
  learnLatentSpace,
  storeVector,
  symmetricEigen,
  type PostingsSource,
} from './latent'
import { FREQUENCY_UNIT } from './segment'

/** Postings of documents given as word lists, as an index would hold them. */
function postingsOf(documents: string[][]): PostingsSource {
  const postings = new Map<string, { docs: number[]; frequencies: number[] }>()
  documents.forEach((words, doc) => {
    for (const word of words) {
      const list = postings.get(word) ?? { docs: [], frequencies: [] }
      // Stored as an index stores frequencies.
      const once = Math.round(1 / FREQUENCY_UNIT)
      if (list.docs.at(-1) === doc) list.frequencies[list.frequencies.length - 1]! += once
      else {
        list.docs.push(doc)
        list.frequencies.push(once)
      }
      postings.set(word, list)
    }
  })
  return {
    documents: documents.length,
    aliveCount: documents.length,
    alive: () => true,
    forEachPostings(visit) {
      for (const [term, list] of postings)
        visit(term, list.docs, list.frequencies, 0, list.docs.length)
    },
  }
}

const counts = (words: string[]) => {
  const map = new Map<string, number>()
  for (const word of words) map.set(word, (map.get(word) ?? 0) + 1)
  return map
}

describe('the latent space', () => {
  test('eigenpairs of a symmetric matrix satisfy A·v = λ·v', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 16, maxLength: 16 }),
        (values) => {
          const size = 4
          const matrix = new Float64Array(size * size)
          for (let i = 0; i < size; i += 1) {
            for (let j = 0; j < size; j += 1)
              matrix[i * size + j] = values[Math.min(i, j) * size + Math.max(i, j)]!
          }
          const { values: eigenvalues, vectors } = symmetricEigen(matrix, size)
          for (let k = 0; k < size; k += 1) {
            for (let i = 0; i < size; i += 1) {
              let product = 0
              for (let j = 0; j < size; j += 1)
                product += matrix[i * size + j]! * vectors[j * size + k]!
              expect(product).toBeCloseTo(eigenvalues[k]! * vectors[i * size + k]!, 6)
            }
          }
        },
      ),
    )
  })

  test('texts on one topic come out close although they share no word; texts on two topics, apart', async () => {
    // Two topics, each a pool of words; every document draws six words from one pool, so
    // words of one topic keep company and the space learns which belong together.
    const topics = [
      ['电池', '电解液', '正极', '负极', '隔膜', '充放电', '容量', '锂', '储能', '循环寿命'],
      ['小麦', '灌溉', '土壤', '施肥', '产量', '病虫害', '种植', '品种', '温室', '收割'],
    ]
    let seed = 7
    const next = () => (seed = (seed * 48_271) % 2_147_483_647)
    const documents = Array.from({ length: 400 }, (_, doc) => {
      const pool = topics[doc % 2]!
      return Array.from({ length: 6 }, () => pool[next() % pool.length]!)
    })
    const space = await learnLatentSpace(postingsOf(documents), 2)
    expect(space).not.toBeNull()
    const vector = (words: string[]) => foldIn(space!, counts(words))!
    const store = new Int8Array(2 * 2)
    storeVector(store, 0, vector(['电池', '电解液', '正极']))
    storeVector(store, 1, vector(['小麦', '灌溉', '土壤']))
    const query = vector(['负极', '隔膜', '储能'])
    expect(cosine(store, 0, query)).toBeGreaterThan(0.8)
    expect(cosine(store, 1, query)).toBeLessThan(0.3)
    // A text of words the space never saw has no place in it.
    expect(foldIn(space!, counts(['未见过的词']))).toBeNull()
  })

  test('an index too small to learn from has no space', async () => {
    expect(await learnLatentSpace(postingsOf([['电池'], ['小麦']]))).toBeNull()
  })

  test('the vectors of all documents at once are each document folded in, across blocks and split postings', async () => {
    const vocabulary = [
      '电池',
      '电解液',
      '正极',
      '负极',
      '隔膜',
      '小麦',
      '灌溉',
      '土壤',
      '施肥',
      '温室',
    ]
    let seed = 11
    const next = () => (seed = (seed * 48_271) % 2_147_483_647)
    // More documents than one block holds, some of them dead.
    const documents = Array.from({ length: 9_000 }, () =>
      Array.from({ length: 1 + (next() % 5) }, () => vocabulary[next() % vocabulary.length]!),
    )
    const whole = postingsOf(documents)
    const space = (await learnLatentSpace(whole, 3))!
    // Each term's postings in two parts, as an index's base and tail hold them.
    const split: PostingsSource = {
      ...whole,
      alive: (doc) => doc % 7 !== 0,
      forEachPostings(visit) {
        whole.forEachPostings((term, docs, frequencies, start, end) => {
          const middle = Math.floor((start + end) / 2)
          visit(term, docs, frequencies, start, middle)
          visit(term, docs, frequencies, middle, end)
        })
      },
    }
    const vectors = await documentVectors(space, split, documents.length)
    const one = new Int8Array(space.dimensions)
    documents.forEach((words, doc) => {
      const stored = Array.from(
        vectors.subarray(doc * space.dimensions, (doc + 1) * space.dimensions),
      )
      if (doc % 7 === 0) {
        expect(stored.every((value) => value === 0)).toBe(true)
        return
      }
      one.fill(0)
      storeVector(one, 0, foldIn(space, counts(words))!)
      // Sums in single precision may round a byte the other way.
      stored.forEach((value, rank) => expect(Math.abs(value - one[rank]!)).toBeLessThanOrEqual(1))
    })
  })
})
