// How well search and matching find the right technology among similar ones, on real text:
// 592 abstracts of Chinese scientific papers and 1,404 lists of their authors' keywords
// (README.md here). Each abstract stands for a technology result; each keyword list for what
// someone typed to find it.
//
// 1. Keyword search: where the paper lands among the hits for its keywords (MRR@10,
//    Recall@1, Recall@10), for our engine and two in-process libraries on the same data.
// 2. Matching long texts: the second half of each abstract is posted as a need, the first
//    halves are indexed as results, and the paper must find its own first half. The matcher
//    (the whole text as a query whose repeated words count, then re-ranked) against plain
//    BM25 with the same text as the query, and the matcher with and without its topic signal
//    (LSA, search/latent.ts), which is also ranked alone. Besides finding the paper itself,
//    the share of the other papers in each top 10 that share an author keyword with it says
//    how well related technology is found.
//
//   npm run eval:search
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { create, insertMultiple, search as oramaSearch } from '@orama/orama'
import { createTokenizer as createMandarinTokenizer } from '@orama/tokenizers/mandarin'
import MiniSearch from 'minisearch'

import type { SearchDocument } from '../../search/documents'
import { createEmbeddedEngine } from '../../search/embedded-engine'
import type { SearchEngine } from '../../search/engine'
import { LATENT_DIMENSIONS } from '../../search/latent'
import { matchNeed, TOPIC_WEIGHT } from '../../search/matching'

const here = path.dirname(fileURLToPath(import.meta.url))

interface Paper {
  id: string
  abstract: string
}

interface Query {
  keywords: string[]
  target: string
}

async function readLines<T>(file: string): Promise<T[]> {
  const text = await readFile(path.join(here, file), 'utf8')
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T)
}

function asResult(id: string, body: string, title = ''): SearchDocument {
  return {
    kind: 'result',
    id,
    text: { title, keywords: [], body },
    facets: {
      field: '00',
      subField: null,
      region: '610100',
      local: true,
      modes: [],
      trl: 5,
      amountBand: null,
    },
    sort: { publishedAt: 0, amount: null },
    display: { title, snippet: '', orgId: 'eval', orgName: '' },
  }
}

interface Scores {
  mrr: number
  recall1: number
  recall10: number
}

/** MRR@10, Recall@1 and Recall@10 of ranked id lists against their targets. */
function score(rankings: { ranked: string[]; target: string }[]): Scores {
  let reciprocal = 0
  let first = 0
  let top10 = 0
  for (const { ranked, target } of rankings) {
    const position = ranked.slice(0, 10).indexOf(target)
    if (position === -1) continue
    reciprocal += 1 / (position + 1)
    top10 += 1
    if (position === 0) first += 1
  }
  const count = rankings.length
  return { mrr: reciprocal / count, recall1: first / count, recall10: top10 / count }
}

/**
 * Same-topic share: of the other papers in each top 10, the share that has an author keyword
 * in common with the paper the need came from (what a buyer means by "related technology").
 */
function topicShare(
  rankings: { ranked: string[]; target: string }[],
  keywordsOf: Map<string, Set<string>>,
) {
  let shared = 0
  let shown = 0
  for (const { ranked, target } of rankings) {
    const own = keywordsOf.get(target) ?? new Set<string>()
    for (const id of ranked.slice(0, 10)) {
      if (id === target) continue
      shown += 1
      if ([...(keywordsOf.get(id) ?? [])].some((keyword) => own.has(keyword))) shared += 1
    }
  }
  return shown ? shared / shown : 0
}

/** Splits a text at the punctuation nearest its middle. */
function halves(text: string): [string, string] {
  const middle = Math.floor(text.length / 2)
  let cut = middle
  for (let offset = 0; offset < middle; offset += 1) {
    if (/[，。；,;]/.test(text[middle + offset] ?? '')) {
      cut = middle + offset + 1
      break
    }
    if (/[，。；,;]/.test(text[middle - offset] ?? '')) {
      cut = middle - offset + 1
      break
    }
  }
  return [text.slice(0, cut), text.slice(cut)]
}

async function main() {
  const papers = await readLines<Paper>('csl-corpus.jsonl')
  const queries = await readLines<Query>('csl-queries.jsonl')
  const rows: [string, Scores][] = []

  // Ours: the abstracts as results' descriptions, searched as the search page searches.
  const ours = createEmbeddedEngine()
  await ours.rebuild({
    words: [],
    batches: (async function* () {
      yield papers.map((paper) => asResult(paper.id, paper.abstract))
    })(),
  })
  const rankOurs = async (query: string) =>
    (await ours.search('result', query, { limit: 10, facets: false })).hits.map((hit) => hit.id)
  const ourRankings = []
  for (const query of queries) {
    ourRankings.push({ ranked: await rankOurs(query.keywords.join(' ')), target: query.target })
  }
  rows.push(['本平台嵌入式引擎', score(ourRankings)])

  // MiniSearch on the same jieba words.
  const analyzer = ours.analyzer()
  const mini = new MiniSearch<{ id: string; body: string }>({
    fields: ['body'],
    tokenize: (text) => analyzer.analyze(text, { grams: false }).words,
    processTerm: (term) => term,
  })
  mini.addAll(papers.map((paper) => ({ id: paper.id, body: paper.abstract })))
  rows.push([
    'MiniSearch（jieba 分词）',
    score(
      queries.map((query) => ({
        ranked: mini
          .search(query.keywords.join(' '))
          .slice(0, 10)
          .map((hit) => hit.id as string),
        target: query.target,
      })),
    ),
  ])

  // Orama with its own Mandarin tokenizer.
  const orama = create({
    schema: { body: 'string' } as const,
    components: { tokenizer: createMandarinTokenizer() },
  })
  await insertMultiple(
    orama,
    papers.map((paper) => ({ id: paper.id, body: paper.abstract })),
  )
  const oramaRankings = []
  for (const query of queries) {
    const found = await oramaSearch(orama, { term: query.keywords.join(' '), limit: 10 })
    oramaRankings.push({ ranked: found.hits.map((hit) => hit.id), target: query.target })
  }
  rows.push(['Orama（自带中文分词）', score(oramaRankings)])

  // Long texts: first halves indexed, second halves posted as needs.
  const split = papers.map((paper) => ({ id: paper.id, parts: halves(paper.abstract) }))
  const firstHalves = createEmbeddedEngine()
  await firstHalves.rebuild({
    words: [],
    batches: (async function* () {
      yield split.map(({ id, parts }) => asResult(id, parts[0]))
    })(),
  })
  // The same engine without its latent space (search/latent.ts): lexical signals only.
  const lexicalOnly: SearchEngine = { ...firstHalves, similarity: async () => null }
  const ids = split.map((paper) => paper.id)
  const bm25 = []
  const lexical = []
  const topicsOnly = []
  const matched = []
  for (const { id, parts } of split) {
    const need = parts[1]
    const plain = await firstHalves.search('result', need, { limit: 10, facets: false })
    bm25.push({ ranked: plain.hits.map((hit) => hit.id), target: id })
    const sentence = need.split(/[，。；,;]/).find((piece) => piece.trim().length >= 4) ?? need
    const profile = { title: sentence.slice(0, 40), description: need }
    const withoutTopics = await matchNeed(lexicalOnly, profile)
    lexical.push({ ranked: withoutTopics.results.map((match) => match.id), target: id })
    const { results } = await matchNeed(firstHalves, profile)
    matched.push({ ranked: results.map((match) => match.id), target: id })
    const topics = await firstHalves.similarity(
      'result',
      { title: profile.title, keywords: [], body: need },
      ids,
    )
    topicsOnly.push({
      ranked: [...(topics ?? [])].sort((a, b) => b[1] - a[1]).map(([paper]) => paper),
      target: id,
    })
  }

  const keywordsOf = new Map<string, Set<string>>()
  for (const query of queries) {
    const known = keywordsOf.get(query.target) ?? new Set<string>()
    for (const keyword of query.keywords) known.add(keyword)
    keywordsOf.set(query.target, known)
  }
  const format = (value: number) => value.toFixed(3)
  const lines = [
    '',
    `关键词检索：${papers.length} 篇真实中文论文摘要，${queries.length} 组作者关键词`,
    '',
    '| 引擎 | MRR@10 | Recall@1 | Recall@10 |',
    '|---|---:|---:|---:|',
    ...rows.map(
      ([name, scores]) =>
        `| ${name} | ${format(scores.mrr)} | ${format(scores.recall1)} | ${format(scores.recall10)} |`,
    ),
    '',
    `长文本匹配：摘要后半段作为需求，找回同一论文的前半段（${split.length} 条）`,
    '',
    '| 方法 | MRR@10 | Recall@1 | Recall@10 | 同主题占比@10 |',
    '|---|---:|---:|---:|---:|',
    ...(
      [
        ['BM25（全文作查询）', bm25],
        ['匹配，仅文字信号（全文 TF-IDF 加权查询 + 重排）', lexical],
        [`LSA 主题相似度单独（${LATENT_DIMENSIONS} 维）`, topicsOnly],
        [`本平台匹配（文字信号 + LSA，主题权重 ${TOPIC_WEIGHT}）`, matched],
      ] as const
    ).map(([name, rankings]) => {
      const scores = score(rankings)
      return `| ${name} | ${format(scores.mrr)} | ${format(scores.recall1)} | ${format(scores.recall10)} | ${format(topicShare(rankings, keywordsOf))} |`
    }),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
