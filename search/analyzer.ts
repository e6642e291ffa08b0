import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict'
import * as OpenCC from 'opencc-js/t2cn'
import { pinyin } from 'pinyin-pro'

import { SYNONYM_GROUPS } from './synonyms'

/**
 * The one analyzer of both engines (the embedded index and Meilisearch, which is sent the
 * terms made here): what a text is indexed as and what a query is looked up as. Index and
 * query go through the same steps, so that they meet.
 */
export interface AnalyzedText {
  /** Words: jieba's search-mode segments of Chinese, Latin terms intact, synonyms added. */
  words: string[]
  /** Character pairs of the Chinese runs, so a word inside a longer word is still found. */
  grams: string[]
  /** Pinyin and initials of each Chinese word and of each pair of neighbours. */
  pinyin: string[]
}

export interface Analyzer {
  normalize(text: string): string
  /** Pinyin keys only when asked; character pairs unless `grams: false`. */
  analyze(text: string, options?: { pinyin?: boolean; grams?: boolean }): AnalyzedText
}

/**
 * Function words that say nothing about a technology. Domain words (技术, 方法, 系统) stay:
 * they are frequent, and BM25's inverse document frequency already weighs them down.
 */
const STOP_WORDS = new Set(
  '的 了 和 与 及 或 等 是 在 对 为 以 于 其 中 并 将 把 被 由 从 向 到 也 又 而 且 之 该 此 这 那 一种 一个 进行 通过 采用 使用 具有 可以 能够 以及 或者 并且 the of and or for in on to a an with by is are'.split(
    ' ',
  ),
)

const HAN_RUN = /\p{Script=Han}+/gu
/** Model, alloy and standard names (SiC, Ti-6Al-4V, RS-485, GB/T) stay one term. */
const LATIN_TERM = /[a-z0-9]+(?:[-_./+][a-z0-9]+)*/g
const LATIN_ONLY = /^[a-z0-9 ._/+-]+$/

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' })

export function normalizeText(text: string) {
  // NFKC folds full-width Latin, digits and punctuation (ＡＢＣ１２３ → ABC123).
  return toSimplified(text.normalize('NFKC').toLowerCase())
}

interface SynonymMatcher {
  /** Every group member that a normalized text contains, with the rest of its group. */
  expand(normalized: string, latinTerms: ReadonlySet<string>): string[]
  /** Chinese members, for the segmenter's dictionary. */
  chineseWords: string[]
}

function createSynonymMatcher(groups: readonly (readonly string[])[]): SynonymMatcher {
  // Each member knows how to find itself: a Latin word as a whole term ("ai" is not inside
  // "said"), a Latin phrase between non-letters, a Chinese word as a substring.
  const matchers = groups.map((group) => {
    const members = group.map(normalizeText)
    const tests = members.map(
      (member): ((normalized: string, latin: ReadonlySet<string>) => boolean) => {
        if (!LATIN_ONLY.test(member)) return (normalized) => normalized.includes(member)
        if (!member.includes(' ')) return (_normalized, latin) => latin.has(member)
        const phrase = new RegExp(`(^|[^a-z0-9])${member}($|[^a-z0-9])`)
        return (normalized) => phrase.test(normalized)
      },
    )
    return { members, tests }
  })
  return {
    expand(normalized, latinTerms) {
      const found: string[] = []
      for (const { members, tests } of matchers) {
        if (tests.some((test) => test(normalized, latinTerms))) found.push(...members)
      }
      return found
    },
    chineseWords: matchers.flatMap(({ members }) =>
      members.filter((member) => !LATIN_ONLY.test(member)),
    ),
  }
}

function pairsOf(run: string) {
  const pairs: string[] = []
  for (let index = 0; index + 1 < run.length; index += 1) pairs.push(run.slice(index, index + 2))
  return pairs
}

// Words repeat across a market's listings: each is spelled once per process.
const spellings = new Map<string, { full: string; initials: string }>()

function spell(word: string) {
  let spelled = spellings.get(word)
  if (!spelled) {
    const syllables = pinyin(word, { toneType: 'none', type: 'array' })
    spelled = {
      full: syllables.join(''),
      initials: syllables.map((syllable) => syllable[0]).join(''),
    }
    if (spellings.size < 200_000) spellings.set(word, spelled)
  }
  return spelled
}

function pinyinKeys(words: string[]) {
  const keys: string[] = []
  const spelled = words.map(spell)
  for (let index = 0; index < spelled.length; index += 1) {
    const { full, initials } = spelled[index]!
    keys.push(full, initials)
    const next = spelled[index + 1]
    if (next) keys.push(full + next.full, initials + next.initials)
  }
  return keys.filter((key) => key.length > 1)
}

/**
 * @param words domain words the segmenter must keep whole (field names, listing keywords):
 *   jieba's general dictionary knows 锂电池 but not 区块链 or 超低氮燃烧.
 */
export function createAnalyzer(options: { words?: Iterable<string> } = {}): Analyzer {
  const synonyms = createSynonymMatcher(SYNONYM_GROUPS)
  const jieba = Jieba.withDict(dict)
  const domainWords = new Set<string>()
  for (const word of [...(options.words ?? []), ...synonyms.chineseWords]) {
    const normalized = normalizeText(word).trim()
    // Only Chinese words need the dictionary; Latin terms are kept whole anyway.
    if (normalized.length > 1 && /^\p{Script=Han}+$/u.test(normalized)) domainWords.add(normalized)
  }
  if (domainWords.size > 0) {
    // A high frequency makes jieba prefer the whole domain word over its pieces.
    const lines = [...domainWords].map((word) => `${word} 100000 n`).join('\n')
    jieba.loadDict(Buffer.from(lines))
  }

  return {
    normalize: normalizeText,
    analyze(text, { pinyin: withPinyin = false, grams: withGrams = true } = {}) {
      const normalized = normalizeText(text)
      const latin = normalized.match(LATIN_TERM) ?? []
      const words: string[] = latin.filter((term) => !STOP_WORDS.has(term))
      const grams: string[] = []
      const chineseWords: string[] = []
      for (const run of normalized.match(HAN_RUN) ?? []) {
        if (run.length === 1) {
          if (!STOP_WORDS.has(run)) words.push(run)
          continue
        }
        for (const word of jieba.cutForSearch(run, true)) {
          // Single characters left over by the segmenter (的, 链) are noise as words; the
          // character pairs still find them inside longer words.
          if (word.length > 1 && !STOP_WORDS.has(word)) words.push(word)
        }
        if (withGrams) grams.push(...pairsOf(run))
        // Pinyin follows the plain segmentation: neighbours there are neighbours in speech.
        if (withPinyin)
          chineseWords.push(...jieba.cut(run, true).filter((word) => !STOP_WORDS.has(word)))
      }
      words.push(...synonyms.expand(normalized, new Set(latin)))
      return { words, grams, pinyin: withPinyin ? pinyinKeys(chineseWords) : [] }
    },
  }
}
