import { createHash } from 'node:crypto'

import { canSpeakInDeal } from '~/domain/deals'
import {
  DOCUMENT_KIND_LABELS,
  DOCUMENT_TYPES,
  DOCUMENTS_PER_DEAL,
  judgeDocument,
  type DocumentKind,
} from '~/domain/documents'
import type { OrgActor } from '~/domain/membership'
import { prisma } from '~/utils/db.server'
import { documentStorage, type FileStorage } from '~/utils/storage.server'

import { dealCapacities, dealLink, participantsWhere, type DealRefusal } from './deal.server'
import { recordEvent } from './events.server'
import { notifyUsers } from './notification.server'

/**
 * Contract documents: the signed contract and its annexes, attached by the parties or the
 * broker for the bureau's registration check, downloadable by the deal's participants and the
 * bureau only. The row and the file are written together or not at all, and each upload is a
 * line in the deal's history.
 */

const NOT_FOUND = '该合同不存在，或您不是它的参与方'

const storageKey = (dealId: string, documentId: string) => `${dealId}/${documentId}`

async function dealFor(user: OrgActor, dealId: string) {
  const deal = await prisma.deal.findUnique({
    where: { id: dealId },
    select: {
      id: true,
      title: true,
      status: true,
      version: true,
      sellerOrgId: true,
      buyerOrgId: true,
      brokerId: true,
    },
  })
  if (!deal) return null
  const capacities = dealCapacities(user, deal)
  return capacities.length > 0 ? { deal, capacities } : null
}

/** A deal's documents, oldest first, for those who may see the deal. */
export function listDealDocuments(dealId: string) {
  return prisma.dealDocument.findMany({
    where: { dealId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      kind: true,
      fileName: true,
      contentType: true,
      size: true,
      createdAt: true,
      uploader: { select: { displayName: true } },
    },
  })
}

export type UploadRefusal = DealRefusal & { field?: 'file' | 'kind' }

/**
 * Attaches a file to a deal, as one of its parties or its broker. The file is judged by its
 * bytes (PDF, PNG or JPEG, within the size limit, named as what it is); a file that is
 * refused, or a write that fails, leaves neither a row nor a file behind.
 */
export async function uploadDealDocument(
  user: OrgActor,
  dealId: string,
  upload: { file: unknown; kind: unknown },
  storage: FileStorage = documentStorage(),
): Promise<{ ok: true; id: string; fileName: string } | UploadRefusal> {
  const found = await dealFor(user, dealId)
  if (!found) return { ok: false, status: 404, reason: NOT_FOUND }
  if (!canSpeakInDeal(found.capacities)) {
    return { ok: false, status: 403, reason: '只有合同双方和技术经纪人可以上传合同文件' }
  }
  if (found.deal.status === 'cancelled') {
    return { ok: false, status: 409, reason: '合同已取消，不能再上传文件' }
  }
  if (typeof upload.kind !== 'string' || !Object.hasOwn(DOCUMENT_KIND_LABELS, upload.kind)) {
    return { ok: false, status: 400, reason: '请选择文件类别', field: 'kind' }
  }
  const file = upload.file
  if (!(file instanceof File) || file.name === '') {
    return { ok: false, status: 400, reason: '请选择要上传的文件', field: 'file' }
  }
  const fileName = file.name.normalize('NFC').replace(/[\\/]/g, '_').slice(-200)
  const bytes = new Uint8Array(await file.arrayBuffer())
  const judged = judgeDocument(fileName, bytes)
  if (!judged.ok) return { ok: false, status: 400, reason: judged.problem, field: 'file' }
  const count = await prisma.dealDocument.count({ where: { dealId } })
  if (count >= DOCUMENTS_PER_DEAL) {
    return {
      ok: false,
      status: 409,
      reason: `每份合同最多上传 ${DOCUMENTS_PER_DEAL} 个文件`,
      field: 'file',
    }
  }
  const { deal } = found
  const kind = upload.kind as DocumentKind
  let stored: string | undefined
  try {
    const id = await prisma.$transaction(async (tx) => {
      const document = await tx.dealDocument.create({
        data: {
          dealId,
          uploaderId: user.id,
          kind,
          fileName,
          contentType: DOCUMENT_TYPES[judged.type].contentType,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
        select: { id: true },
      })
      await tx.dealEvent.create({
        data: {
          dealId,
          actorId: user.id,
          note: `上传${DOCUMENT_KIND_LABELS[kind]}：${fileName}`.slice(0, 500),
        },
      })
      const others = await tx.user.findMany({
        where: { ...participantsWhere(deal), id: { not: user.id } },
        select: { id: true },
      })
      await notifyUsers(
        tx,
        others.map((other) => other.id),
        {
          kind: 'deal_moved',
          title: `${deal.title}：新上传${DOCUMENT_KIND_LABELS[kind]}`,
          body: fileName,
          link: dealLink(dealId),
        },
      )
      await recordEvent(tx, {
        type: 'deal:changed',
        room: { dealId },
        payload: { id: dealId, status: deal.status, version: deal.version },
      })
      // Stored last, inside the transaction: if storing fails the row is rolled back, and if
      // the commit fails the file is removed below.
      stored = storageKey(dealId, document.id)
      await storage.put(stored, bytes)
      return document.id
    })
    return { ok: true, id, fileName }
  } catch (error) {
    if (stored) await storage.remove(stored).catch(() => {})
    throw error
  }
}

/** A document's bytes and how to serve them, for the deal's participants and the bureau. */
export async function readDealDocument(
  user: OrgActor,
  dealId: string,
  documentId: string,
  storage: FileStorage = documentStorage(),
) {
  const found = await dealFor(user, dealId)
  if (!found) return null
  const document = await prisma.dealDocument.findFirst({
    where: { id: documentId, dealId },
    select: { id: true, fileName: true, contentType: true, size: true },
  })
  if (!document) return null
  return { ...document, bytes: await storage.read(storageKey(dealId, document.id)) }
}
