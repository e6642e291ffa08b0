import { Jieba, TfIdf } from '@node-rs/jieba'
import { dict, idf } from '@node-rs/jieba/dict.js'
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
  /**
   * The words that search mode found inside a longer word next to them (计算 and 算机 in
   * 计算机): in a query they say less than the whole word.
   */
  parts: string[]
}

export interface Analyzer {
  normalize(text: string): string
  /** Pinyin keys only when asked; character pairs unless `grams: false`. */
  analyze(text: string, options?: { pinyin?: boolean; grams?: boolean }): AnalyzedText
  /**
   * One keyword or field name, with pinyin and character pairs. Keywords repeat across a
   * market's listings (石墨烯, 锂电池): each is analysed once and remembered.
   */
  analyzeKeyword(keyword: string): AnalyzedText
  /**
   * Teaches the segmenter new domain words (a listing's new keywords), so that later texts
   * keep them whole; returns the words it did not know.
   */
  addWords(words: Iterable<string>): string[]
  /**
   * The `count` words that say most about a long text, by TF-IDF (jieba's corpus
   * frequencies), normalized as the index stores them; function words left out.
   */
  keywords(text: string, count: number): string[]
}

/** Keywords remembered per analyzer; beyond this many the memory starts afresh. */
const KEYWORD_MEMO_SIZE = 100_000

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

/**
 * Whether a character (a UTF-16 unit) is one the converter changes: 0 not yet known, 1 no,
 * 2 yes. Almost every listing is written in simplified characters already, and the converter
 * costs more than segmenting, so it runs only on texts that need it.
 */
const TRADITIONAL = new Uint8Array(0x10000)

function needsSimplifying(text: string) {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    if (code < 0x3400) continue
    // Characters outside the basic plane come as surrogate pairs: leave them to the converter.
    if (code >= 0xd800 && code <= 0xdfff) return true
    let known = TRADITIONAL[code]!
    if (known === 0) {
      const character = String.fromCharCode(code)
      known = toSimplified(character) === character ? 1 : 2
      TRADITIONAL[code] = known
    }
    if (known === 2) return true
  }
  return false
}

export function normalizeText(text: string) {
  // NFKC folds full-width Latin, digits and punctuation (ＡＢＣ１２３ → ABC123).
  const folded = text.normalize('NFKC').toLowerCase()
  return needsSimplifying(folded) ? toSimplified(folded) : folded
}

interface SynonymMatcher {
  /**
   * The groups that a text's words (and, for the few members that are not one word, its
   * normalized text) name: every member of each, to be added to the text's words.
   */
  expand(words: readonly string[], normalized: string, latinTerms: readonly string[]): string[]
  /** Chinese members, for the segmenter's dictionary: so that they come out as words. */
  chineseWords: string[]
}

function createSynonymMatcher(groups: readonly (readonly string[])[]): SynonymMatcher {
  const normalizedGroups = groups.map((group) => group.map(normalizeText))
  // Most members are one word (锂电池, sic) and are looked up among the words; a Latin phrase
  // ("machine learning") is tested once its first word is present; a member mixing scripts
  // (3d打印) is looked for in the text itself.
  const groupsOfWord = new Map<string, number[]>()
  const phrases: { first: string; pattern: RegExp; group: number }[] = []
  const mixed: { member: string; group: number }[] = []
  normalizedGroups.forEach((members, group) => {
    for (const member of members) {
      if (isHanWord(member) || (LATIN_ONLY.test(member) && !member.includes(' '))) {
        groupsOfWord.set(member, [...(groupsOfWord.get(member) ?? []), group])
      } else if (LATIN_ONLY.test(member)) {
        const pattern = new RegExp(`(^|[^a-z0-9])${member}($|[^a-z0-9])`)
        phrases.push({ first: member.split(' ')[0]!, pattern, group })
      } else {
        mixed.push({ member, group })
      }
    }
  })
  return {
    expand(words, normalized, latinTerms) {
      const found = new Set<number>()
      for (const word of words) for (const group of groupsOfWord.get(word) ?? []) found.add(group)
      for (const { first, pattern, group } of phrases) {
        if (latinTerms.includes(first) && pattern.test(normalized)) found.add(group)
      }
      for (const { member, group } of mixed) if (normalized.includes(member)) found.add(group)
      return [...found].flatMap((group) => normalizedGroups[group]!)
    },
    chineseWords: normalizedGroups.flat().filter(isHanWord),
  }
}

/**
 * Whether a token is all Chinese characters, as jieba sees them (its Han class is
 * U+4E00–U+9FD5; extension A and compatibility ideographs are let in too). A character test
 * rather than a Unicode-property regular expression: it runs once per token of every text.
 */
function isHanWord(token: string) {
  if (token.length === 0) return false
  for (let index = 0; index < token.length; index += 1) {
    const code = token.charCodeAt(index)
    const han =
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0x3400 && code <= 0x4dbf) ||
      (code >= 0xf900 && code <= 0xfaff)
    if (!han) return false
  }
  return true
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

/**
 * Pinyin and initials of each spoken word and each pair of neighbours, and of each word of
 * the search-mode segmentation: 激光 inside a domain word 激光跟踪仪 is found by "jiguang".
 */
function pinyinKeys(words: string[], pieces: readonly string[]) {
  const keys: string[] = []
  for (const piece of pieces) {
    if (!isHanWord(piece)) continue
    const { full, initials } = spell(piece)
    keys.push(full, initials)
  }
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
  const keywordMemo = new Map<string, AnalyzedText>()
  /** Teaches the segmenter the words it does not know yet; returns those it learnt. */
  const addWords = (words: Iterable<string>) => {
    const added: string[] = []
    for (const word of words) {
      const normalized = normalizeText(word).trim()
      // Only Chinese words need the dictionary; Latin terms are kept whole anyway.
      if (normalized.length > 1 && isHanWord(normalized) && !domainWords.has(normalized)) {
        domainWords.add(normalized)
        added.push(normalized)
      }
    }
    if (added.length > 0) {
      // A high frequency makes jieba prefer the whole domain word over its pieces.
      jieba.loadDict(Buffer.from(added.map((word) => `${word} 100000 n`).join('\n')))
      // Keywords analysed before may now come out as other words.
      keywordMemo.clear()
    }
    return added
  }
  addWords([...(options.words ?? []), ...synonyms.chineseWords])

  let tfIdf: TfIdf | undefined
  const analyzer: Analyzer = {
    normalize: normalizeText,
    addWords,
    keywords(text, count) {
      tfIdf ??= TfIdf.withDict(idf)
      return tfIdf
        .extractKeywords(jieba, normalizeText(text), count * 2)
        .map((keyword) => keyword.keyword)
        .filter((word) => word.length > 1 && !STOP_WORDS.has(word) && !/^[\d.%]+$/.test(word))
        .slice(0, count)
    },
    analyzeKeyword(keyword) {
      let analyzed = keywordMemo.get(keyword)
      if (!analyzed) {
        analyzed = analyzer.analyze(keyword, { pinyin: true })
        if (keywordMemo.size >= KEYWORD_MEMO_SIZE) keywordMemo.clear()
        keywordMemo.set(keyword, analyzed)
      }
      return analyzed
    },
    analyze(text, { pinyin: withPinyin = false, grams: withGrams = true } = {}) {
      const normalized = normalizeText(text)
      const latin = normalized.match(LATIN_TERM) ?? []
      const words: string[] = latin.filter((term) => !STOP_WORDS.has(term))
      const grams: string[] = []
      const parts: string[] = []
      const runs = normalized.match(HAN_RUN)
      if (runs) {
        // One call per text: the segmenter splits at punctuation and Latin letters itself, and
        // each call into it costs more than the words it returns.
        const segments = jieba.cutForSearch(normalized, true)
        for (let index = 0; index < segments.length; index += 1) {
          const word = segments[index]!
          // Single characters left over by the segmenter (的, 链) are noise as words; the
          // character pairs still find them inside longer words. Latin pieces came above.
          if (word.length < 2 || !isHanWord(word) || STOP_WORDS.has(word)) continue
          words.push(word)
          // Search mode lists a long word's dictionary pieces just before the word itself.
          for (let next = index + 1; next < Math.min(segments.length, index + 8); next += 1) {
            const later = segments[next]!
            if (later.length > word.length && later.includes(word)) {
              parts.push(word)
              break
            }
          }
        }
        for (const run of runs) {
          if (run.length === 1) {
            if (!STOP_WORDS.has(run)) words.push(run)
          } else if (withGrams) {
            grams.push(...pairsOf(run))
          }
        }
      }
      // Pinyin follows the plain segmentation: neighbours there are neighbours in speech.
      const spoken =
        withPinyin && runs
          ? jieba.cut(normalized, true).filter((word) => isHanWord(word) && !STOP_WORDS.has(word))
          : []
      words.push(...synonyms.expand(words, normalized, latin))
      const pinyin = withPinyin ? pinyinKeys(spoken, words) : []
      return { words, grams, pinyin, parts }
    },
  }
  return analyzer
}
