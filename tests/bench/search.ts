// The embedded search engine at market scale, next to two in-process libraries on the same
// data in the same run. Generates 100,000 results, 20,000 needs and 10,000 experts with the
// seed generator, indexes them, and times 1,000 keyword searches with facets, 1,000 search-as-
// you-type prefix searches and 500 matches. Each engine runs in a child process of its own,
// so that each peak RSS is its own.
//
//   npm run bench:search              (BENCH_RESULTS=20000 npm run bench:search for a quick run)
import { fork } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { create, insertMultiple, search as oramaSearch } from '@orama/orama'
import { createTokenizer as createMandarinTokenizer } from '@orama/tokenizers/mandarin'
import MiniSearch from 'minisearch'

import { createAnalyzer } from '../../search/analyzer'
import {
  toExpertDocument,
  toNeedDocument,
  toResultDocument,
  type SearchDocument,
} from '../../search/documents'
import { createEmbeddedEngine } from '../../search/embedded-engine'
import type { SearchFilters } from '../../search/embedded-index'
import { matchNeed, type NeedProfile } from '../../search/matching'

import { generateBenchListings } from './search-data'

const COUNTS = {
  results: Number(process.env.BENCH_RESULTS ?? 100_000),
  needs: Number(process.env.BENCH_NEEDS ?? 20_000),
  experts: Number(process.env.BENCH_EXPERTS ?? 10_000),
}
const QUERY_COUNTS = { keyword: 1_000, prefix: 1_000, match: 500 }
/**
 * Queries each baseline runs, the first of ours: Orama takes seconds per query at this size,
 * and the full set would keep the run going for the better part of an hour.
 */
const BASELINE_QUERIES = Number(process.env.BENCH_BASELINE_QUERIES ?? 300)
const THREADS = Math.min(2, os.availableParallelism())

/** The queries of a run; the documents themselves are streamed from a JSON Lines file. */
interface Workload {
  documentCount: number
  words: string[]
  keyword: { query: string; filters: SearchFilters }[]
  prefix: string[]
  match: NeedProfile[]
}

interface Figures {
  engine: string
  documents: number
  indexSeconds: number
  latencies: Partial<Record<'keyword' | 'prefix' | 'match', number[]>>
  peakRssMb: number
  note?: string
  extra?: Record<string, number>
}

function log(message: string) {
  process.stderr.write(`${message}\n`)
}

/** A small deterministic generator, so that every engine gets the same queries. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
}

function makeWorkload(): { workload: Workload; documents: SearchDocument[] } {
  const listings = generateBenchListings(COUNTS)
  const documents = [
    ...listings.results.map((row) => toResultDocument(row)),
    ...listings.needs.map((row) => toNeedDocument(row)),
    ...listings.experts.map((row) => toExpertDocument(row)),
  ].filter((document): document is SearchDocument => document !== null)
  const next = random(20_261_203)
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
  const results = listings.results
  const keyword = Array.from({ length: QUERY_COUNTS.keyword }, () => {
    const result = pick(results)
    const words =
      next() < 0.7 ? [pick(result.keywords)] : [pick(result.keywords), pick(pick(results).keywords)]
    const filters: SearchFilters = {}
    if (next() < 0.5) filters.field = result.fieldCode.slice(0, 2)
    if (next() < 0.3) filters.trlMin = 3 + Math.floor(next() * 6)
    return { query: words.join(' '), filters }
  })
  const prefix = Array.from({ length: QUERY_COUNTS.prefix }, () => {
    const word = pick(pick(results).keywords)
    const typed = word.slice(0, 1 + Math.floor(next() * Math.max(1, word.length - 1)))
    return next() < 0.3 ? `${pick(pick(results).keywords)} ${typed}` : typed
  })
  const match = Array.from({ length: QUERY_COUNTS.match }, () => {
    const need = pick(listings.needs)
    return {
      title: need.title,
      description: need.description,
      fieldCode: next() < 0.5 ? need.fieldCode : null,
      keywords: need.keywords,
      budgetMax: need.budgetMax,
    }
  })
  const words = [...new Set(documents.flatMap((document) => document.text.keywords))]
  return {
    workload: { documentCount: documents.length, words, keyword, prefix, match },
    documents,
  }
}

/**
 * The documents in batches, read line by line as the server reads rows page by page: no
 * engine's peak memory holds the whole data set besides its index.
 */
async function* readDocuments(file: string, size = 1_000) {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  let batch: SearchDocument[] = []
  for await (const line of lines) {
    if (!line) continue
    batch.push(JSON.parse(line) as SearchDocument)
    if (batch.length === size) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

async function timeEach<T>(items: readonly T[], run: (item: T) => unknown) {
  const times: number[] = []
  for (const item of items) {
    const start = performance.now()
    await run(item)
    times.push(performance.now() - start)
  }
  return times
}

function peakRssMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** Our engine: the embedded index, built on worker threads as the server builds it. */
async function runOurs(
  workload: Workload,
  documentsFile: string,
  snapshotDir: string,
): Promise<Figures> {
  const engine = createEmbeddedEngine({ threads: THREADS })
  const start = performance.now()
  await engine.rebuild({
    words: workload.words,
    batches: readDocuments(documentsFile),
    expected: workload.documentCount,
  })
  const indexSeconds = (performance.now() - start) / 1000
  const snapshot = path.join(snapshotDir, 'index.bin')
  const saveStart = performance.now()
  await engine.saveSnapshot(snapshot, 'bench', '0')
  const saveSeconds = (performance.now() - saveStart) / 1000
  // Warm the code paths, then measure.
  for (const { query } of workload.keyword.slice(0, 50)) await engine.search('result', query)
  const keyword = await timeEach(workload.keyword, ({ query, filters }) =>
    engine.search('result', query, { filters }),
  )
  const prefix = await timeEach(workload.prefix, (query) =>
    engine.search('result', query, { prefix: true }),
  )
  const match = await timeEach(workload.match, (need) => matchNeed(engine, need))
  // A server builds (and saves) its index or loads one, never both: its peak is taken before
  // a second index is loaded here to time a restart.
  const peakRss = peakRssMb()
  const restarted = createEmbeddedEngine()
  const loadStart = performance.now()
  await restarted.loadSnapshot(snapshot, 'bench')
  const loadSeconds = (performance.now() - loadStart) / 1000
  return {
    engine: '本平台嵌入式引擎',
    documents: workload.documentCount,
    indexSeconds,
    latencies: { keyword, prefix, match },
    peakRssMb: peakRss,
    note: `${THREADS} 个分析线程`,
    extra: { saveSeconds, loadSeconds },
  }
}

type FacetsById = Map<string, SearchDocument['facets']>

/** Facet counts over every match, as our engine returns them, for a fair comparison. */
function countFacets(ids: readonly string[], byId: FacetsById) {
  const counts: Record<string, Record<string, number>> = { field: {}, trl: {}, region: {} }
  for (const id of ids) {
    const facets = byId.get(id)!
    counts.field![facets.field] = (counts.field![facets.field] ?? 0) + 1
    counts.trl![String(facets.trl)] = (counts.trl![String(facets.trl)] ?? 0) + 1
    counts.region![facets.region] = (counts.region![facets.region] ?? 0) + 1
  }
  return counts
}

function passes(facets: SearchDocument['facets'], filters: SearchFilters) {
  if (filters.field && facets.field !== filters.field) return false
  if (filters.trlMin && (facets.trl ?? 0) < filters.trlMin) return false
  return true
}

/** MiniSearch, given the same jieba words our analyzer makes. */
async function runMiniSearch(workload: Workload, documentsFile: string): Promise<Figures> {
  const byId: FacetsById = new Map()
  const analyzer = createAnalyzer({ words: workload.words })
  const mini = new MiniSearch<{ id: string; title: string; keywords: string; body: string }>({
    fields: ['title', 'keywords', 'body'],
    tokenize: (text) => analyzer.analyze(text, { grams: false }).words,
    processTerm: (term) => term,
    searchOptions: { boost: { title: 3, keywords: 2 } },
  })
  const start = performance.now()
  for await (const batch of readDocuments(documentsFile)) {
    for (const document of batch) {
      if (document.kind !== 'result') continue
      byId.set(document.id, document.facets)
      mini.add({
        id: document.id,
        title: document.text.title,
        keywords: document.text.keywords.join(' '),
        body: document.text.body,
      })
    }
  }
  const indexSeconds = (performance.now() - start) / 1000
  const keyword = await timeEach(
    workload.keyword.slice(0, BASELINE_QUERIES),
    ({ query, filters }) => {
      const hits = mini.search(query, { filter: (hit) => passes(byId.get(hit.id)!, filters) })
      countFacets(
        hits.map((hit) => hit.id as string),
        byId,
      )
      return hits.slice(0, 10)
    },
  )
  const prefix = await timeEach(workload.prefix.slice(0, BASELINE_QUERIES), (query) => {
    const hits = mini.search(query, { prefix: (_term, index, terms) => index === terms.length - 1 })
    countFacets(
      hits.map((hit) => hit.id as string),
      byId,
    )
    return hits.slice(0, 10)
  })
  return {
    engine: 'MiniSearch（jieba 分词）',
    documents: byId.size,
    indexSeconds,
    latencies: { keyword, prefix },
    peakRssMb: peakRssMb(),
  }
}

/** Orama with its own Mandarin tokenizer. */
async function runOrama(workload: Workload, documentsFile: string): Promise<Figures> {
  let count = 0
  const db = create({
    schema: {
      title: 'string',
      keywords: 'string',
      body: 'string',
      field: 'string',
      trl: 'number',
    } as const,
    components: { tokenizer: createMandarinTokenizer() },
  })
  const start = performance.now()
  for await (const batch of readDocuments(documentsFile)) {
    const results = batch.filter((document) => document.kind === 'result')
    count += results.length
    await insertMultiple(
      db,
      results.map((document) => ({
        id: document.id,
        title: document.text.title,
        keywords: document.text.keywords.join(' '),
        body: document.text.body,
        field: document.facets.field,
        trl: document.facets.trl ?? 0,
      })),
    )
  }
  const indexSeconds = (performance.now() - start) / 1000
  const facets = {
    field: {},
    trl: {
      ranges: [
        { from: 1, to: 4 },
        { from: 5, to: 9 },
      ],
    },
  }
  const keyword = await timeEach(
    workload.keyword.slice(0, BASELINE_QUERIES),
    ({ query, filters }) =>
      oramaSearch(db, {
        term: query,
        properties: ['title', 'keywords', 'body'],
        boost: { title: 3, keywords: 2 },
        where: {
          ...(filters.field ? { field: filters.field } : {}),
          ...(filters.trlMin ? { trl: { gte: filters.trlMin } } : {}),
        },
        facets,
        limit: 10,
      }),
  )
  const prefix = await timeEach(workload.prefix.slice(0, BASELINE_QUERIES), (query) =>
    oramaSearch(db, { term: query, properties: ['title', 'keywords', 'body'], facets, limit: 10 }),
  )
  return {
    engine: 'Orama（自带中文分词）',
    documents: count,
    indexSeconds,
    latencies: { keyword, prefix },
    peakRssMb: peakRssMb(),
  }
}

function percentile(sorted: number[], share: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!
}

function summarize(times: number[] | undefined) {
  if (!times) return '—'
  const sorted = [...times].sort((a, b) => a - b)
  const format = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0))
  return `${format(percentile(sorted, 0.5))} / ${format(percentile(sorted, 0.95))} / ${format(percentile(sorted, 0.99))}`
}

const ENGINES: Record<
  'ours' | 'minisearch' | 'orama',
  (workload: Workload, documentsFile: string, workDir: string) => Promise<Figures>
> = { ours: runOurs, minisearch: runMiniSearch, orama: runOrama }
/** BENCH_ENGINES=ours runs ours alone (a quick look while tuning). */
const CHOSEN = (process.env.BENCH_ENGINES?.split(',') ??
  Object.keys(ENGINES)) as (keyof typeof ENGINES)[]

async function child(engine: keyof typeof ENGINES, workDir: string) {
  const workload = JSON.parse(
    await readFile(path.join(workDir, 'workload.json'), 'utf8'),
  ) as Workload
  const figures = await ENGINES[engine](workload, path.join(workDir, 'documents.jsonl'), workDir)
  process.send!(figures)
}

function runChild(engine: keyof typeof ENGINES, workDir: string) {
  return new Promise<Figures>((resolve, reject) => {
    const worker = fork(fileURLToPath(import.meta.url), ['--engine', engine, workDir], {
      execArgv: [...process.execArgv, '--max-old-space-size=6144'],
    })
    let figures: Figures | undefined
    worker.on('message', (message) => (figures = message as Figures))
    worker.on('exit', (code) =>
      figures ? resolve(figures) : reject(new Error(`${engine} 基准进程退出（${code}）`)),
    )
  })
}

async function main() {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'xm-bench-search-'))
  try {
    log(`生成 ${COUNTS.results} 条成果、${COUNTS.needs} 条需求、${COUNTS.experts} 位专家……`)
    const { workload, documents } = makeWorkload()
    await writeFile(path.join(workDir, 'workload.json'), JSON.stringify(workload))
    await writeFile(
      path.join(workDir, 'documents.jsonl'),
      documents.map((document) => JSON.stringify(document)).join('\n'),
    )
    const figures: Figures[] = []
    for (const engine of CHOSEN) {
      log(`运行 ${engine}……`)
      const figure = await runChild(engine, workDir)
      figures.push(figure)
      log(
        `  ${Math.round(figure.documents / figure.indexSeconds)} 文档/秒；关键词 ${summarize(figure.latencies.keyword)}，前缀 ${summarize(figure.latencies.prefix)}，匹配 ${summarize(figure.latencies.match)} 毫秒；峰值 ${figure.peakRssMb} MB`,
      )
    }
    const lines = [
      '',
      `搜索基准：${COUNTS.results} 条成果、${COUNTS.needs} 条需求、${COUNTS.experts} 位专家（${os.availableParallelism()} 核）`,
      `延迟为 p50 / p95 / p99（毫秒）；关键词查询带筛选与分面统计，前缀查询为边输入边搜索；本平台各跑 ${QUERY_COUNTS.keyword} / ${QUERY_COUNTS.prefix} / ${QUERY_COUNTS.match} 次，对照库各跑其中前 ${BASELINE_QUERIES} 次`,
      '',
      '| 引擎 | 文档数 | 建索引 文档/秒 | 关键词 | 前缀 | 匹配 | 峰值 RSS |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...figures.map(
        (figure) =>
          `| ${figure.engine}${figure.note ? `（${figure.note}）` : ''} | ${figure.documents} | ${Math.round(figure.documents / figure.indexSeconds)} | ${summarize(figure.latencies.keyword)} | ${summarize(figure.latencies.prefix)} | ${summarize(figure.latencies.match)} | ${figure.peakRssMb} MB |`,
      ),
    ]
    const ours = figures[0]!
    if (ours.extra) {
      lines.push(
        '',
        `快照：保存 ${ours.extra.saveSeconds!.toFixed(1)} 秒，重启时载入 ${ours.extra.loadSeconds!.toFixed(1)} 秒`,
      )
    }
    const p99 = (figure: Figures, kind: 'keyword' | 'prefix') =>
      percentile(
        [...figure.latencies[kind]!].sort((a, b) => a - b),
        0.99,
      )
    for (const baseline of figures.slice(1)) {
      lines.push(
        `p99 对比 ${baseline.engine}：关键词快 ${(p99(baseline, 'keyword') / p99(ours, 'keyword')).toFixed(0)} 倍，前缀快 ${(p99(baseline, 'prefix') / p99(ours, 'prefix')).toFixed(0)} 倍`,
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

const engineFlag = process.argv.indexOf('--engine')
if (engineFlag !== -1) {
  const [engine, workDir] = process.argv.slice(engineFlag + 1) as [keyof typeof ENGINES, string]
  await child(engine, workDir)
} else {
  await main()
}
