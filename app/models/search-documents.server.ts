import { listingRules } from '~/domain/listing-rules'
import { highTechFields, subFields } from '~/domain/reference'
import type { Prisma } from '~/generated/prisma/client'
import type { SearchEntity } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'

import {
  toExpertDocument,
  toNeedDocument,
  toResultDocument,
  type DocumentKind,
  type SearchDocument,
} from '../../search/documents'

import { publicExpertWhere } from './expert.server'
import { publicNeedWhere } from './need.server'
import { publicResultWhere } from './result.server'

/**
 * Search documents from database rows: the one place that knows which columns a document is
 * made of. The document builders (search/documents.ts) decide what is public; these queries
 * only fetch.
 */

const orgSelect = { id: true, name: true, regionCode: true, zone: true } as const

const resultSelect = {
  id: true,
  title: true,
  summary: true,
  description: true,
  fieldCode: true,
  keywords: true,
  trl: true,
  transferModes: true,
  askingPrice: true,
  status: true,
  expiresAt: true,
  publishedAt: true,
  org: { select: orgSelect },
  leadExpert: { select: { name: true } },
} satisfies Prisma.ResultSelect

const needSelect = {
  id: true,
  title: true,
  description: true,
  fieldCode: true,
  keywords: true,
  budgetMin: true,
  budgetMax: true,
  deadline: true,
  cooperationModes: true,
  status: true,
  expiresAt: true,
  publishedAt: true,
  org: { select: orgSelect },
} satisfies Prisma.NeedSelect

const expertSelect = {
  id: true,
  name: true,
  title: true,
  fields: true,
  keywords: true,
  bio: true,
  org: { select: orgSelect },
  createdBy: { select: { membership: true } },
} satisfies Prisma.ExpertSelect

type ResultRecord = Prisma.ResultGetPayload<{ select: typeof resultSelect }>
type NeedRecord = Prisma.NeedGetPayload<{ select: typeof needSelect }>
type ExpertRecord = Prisma.ExpertGetPayload<{ select: typeof expertSelect }>

const amount = (value: Prisma.Decimal | null) => (value === null ? null : Number(value))

const toDocument = {
  result: (row: ResultRecord, now: Date) =>
    toResultDocument({ ...row, askingPrice: amount(row.askingPrice) }, now),
  need: (row: NeedRecord, now: Date) =>
    toNeedDocument(
      { ...row, budgetMin: amount(row.budgetMin), budgetMax: amount(row.budgetMax) },
      now,
    ),
  expert: (row: ExpertRecord) => toExpertDocument(row),
}

export const ENTITY_KIND: Record<SearchEntity, DocumentKind> = {
  result: 'result',
  need: 'need',
  expert: 'expert',
}

/**
 * The documents of the given rows as they are now: a document for each public one, null for
 * each that is not public (or no longer exists), to be removed from the index.
 */
export async function loadDocuments(
  kind: DocumentKind,
  ids: string[],
  now = new Date(),
): Promise<Map<string, SearchDocument | null>> {
  const found = new Map<string, SearchDocument | null>(ids.map((id) => [id, null]))
  const where = { id: { in: ids } }
  if (kind === 'result') {
    for (const row of await prisma.result.findMany({ where, select: resultSelect })) {
      found.set(row.id, toDocument.result(row, now))
    }
  } else if (kind === 'need') {
    for (const row of await prisma.need.findMany({ where, select: needSelect })) {
      found.set(row.id, toDocument.need(row, now))
    }
  } else {
    for (const row of await prisma.expert.findMany({ where, select: expertSelect })) {
      found.set(row.id, toDocument.expert(row))
    }
  }
  return found
}

/** How many documents a full build will index, for its progress bar. */
export async function countPublicDocuments(now = new Date()) {
  const [results, needs, experts] = await Promise.all([
    prisma.result.count({ where: publicResultWhere(now) }),
    prisma.need.count({ where: publicNeedWhere(now) }),
    prisma.expert.count({ where: publicExpertWhere() }),
  ])
  return results + needs + experts
}

/** Every public document, in batches, read page by page in id order. */
export async function* allPublicDocuments(
  batchSize = 1_000,
  now = new Date(),
): AsyncGenerator<SearchDocument[]> {
  const pages = {
    result: (cursor?: string) =>
      prisma.result.findMany({
        where: publicResultWhere(now),
        select: resultSelect,
        orderBy: { id: 'asc' },
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      }),
    need: (cursor?: string) =>
      prisma.need.findMany({
        where: publicNeedWhere(now),
        select: needSelect,
        orderBy: { id: 'asc' },
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      }),
    expert: (cursor?: string) =>
      prisma.expert.findMany({
        where: publicExpertWhere(),
        select: expertSelect,
        orderBy: { id: 'asc' },
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      }),
  }
  for (const kind of ['result', 'need', 'expert'] as const) {
    let cursor: string | undefined
    for (;;) {
      const rows = await pages[kind](cursor)
      if (rows.length === 0) break
      const documents = rows.flatMap((row) => {
        const document =
          kind === 'result'
            ? toDocument.result(row as ResultRecord, now)
            : kind === 'need'
              ? toDocument.need(row as NeedRecord, now)
              : toDocument.expert(row as ExpertRecord)
        return document ? [document] : []
      })
      yield documents
      cursor = rows.at(-1)!.id
      if (rows.length < batchSize) break
    }
  }
}

/**
 * Words the segmenter must keep whole: the field names and every keyword of a public listing
 * or profile (区块链, 超低氮燃烧), which its general dictionary does not know.
 */
export async function loadDomainWords(now = new Date()): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ word: string }[]>`
    SELECT DISTINCT unnest(keywords) AS word FROM "Result"
      WHERE status::text = ANY(${[...listingRules.result.liveStatuses]}) AND "expiresAt" > ${now}
    UNION SELECT DISTINCT unnest(keywords) FROM "Need"
      WHERE status::text = ANY(${[...listingRules.need.liveStatuses]}) AND "expiresAt" > ${now}
    UNION SELECT DISTINCT unnest(keywords) FROM "Expert"`
  return [
    ...highTechFields.map((field) => field.name),
    ...subFields.map((subField) => subField.name),
    ...rows.map((row) => row.word),
  ]
}
