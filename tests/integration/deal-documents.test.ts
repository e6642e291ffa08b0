import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { DOCUMENT_MAX_BYTES } from '~/domain/documents'
import { uploadDealDocument } from '~/models/deal-document.server'
import { startEnquiry } from '~/models/deal.server'
import { prisma } from '~/utils/db.server'

import { signInOverHttp, startInProcessServer } from '../setup/app-server'
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../setup/remix'

let baseUrl: string
let close: () => Promise<void>
let dataDir: string
const previousDataDir = process.env.DATA_DIR

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-documents-'))
  process.env.DATA_DIR = dataDir
  const server = await startInProcessServer()
  baseUrl = server.baseUrl
  close = server.close
})

afterAll(async () => {
  await close()
  process.env.DATA_DIR = previousDataDir
  await rm(dataDir, { recursive: true, force: true })
})

const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46])

async function person(role: 'enterprise' | 'researcher' | 'bureau', orgId: string | null) {
  const { id, email } = await createTestUser({ role, orgId })
  const actor = await prisma.user.findUniqueOrThrow({
    where: { id },
    select: { id: true, role: true, membership: true, org: { select: { id: true } } },
  })
  return { ...actor, cookie: await signInOverHttp(baseUrl, email, TEST_PASSWORD) }
}

async function deal() {
  const enterprise = await createTestOrganization()
  const university = await createTestOrganization({ kind: 'university' })
  const result = await prisma.result.create({
    data: {
      title: '钛合金薄壁件激光焊接工艺',
      summary: '钛合金薄壁件的激光焊接',
      fieldCode: '804',
      trl: 7,
      transferModes: ['license'],
      orgId: university.id,
      status: 'published',
      publishedAt: new Date(),
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    },
  })
  const buyer = await person('enterprise', enterprise.id)
  const seller = await person('researcher', university.id)
  const started = await startEnquiry(buyer, { kind: 'result', id: result.id }, '想了解许可条件')
  if (!started.ok) throw new Error(started.reason)
  return {
    dealId: started.dealId,
    buyer,
    seller,
    bureau: await person('bureau', null),
    outsider: await person('enterprise', (await createTestOrganization()).id),
  }
}

function upload(
  dealId: string,
  cookie: string,
  file: { bytes: Uint8Array; name: string } | null,
  kind = 'contract',
) {
  const form = new FormData()
  form.set('kind', kind)
  if (file) form.set('file', new File([new Uint8Array(file.bytes)], file.name))
  return fetch(`${baseUrl}/deals/${dealId}/documents`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseUrl, Cookie: cookie },
    body: form,
  })
}

const storedFiles = async (dealId: string) =>
  readdir(path.join(dataDir, 'documents', dealId)).catch(() => [] as string[])

describe('contract documents', () => {
  test('a party attaches a PDF; the other party and the bureau download it as it was; others cannot', async () => {
    const { dealId, buyer, seller, bureau, outsider } = await deal()
    const uploaded = await upload(dealId, buyer.cookie, { bytes: pdf, name: '技术许可合同.pdf' })
    expect(uploaded.status).toBe(302)
    expect(uploaded.headers.get('location')).toBe(`/deals/${dealId}/documents`)
    const [document] = await prisma.dealDocument.findMany({ where: { dealId } })
    expect(document).toMatchObject({
      fileName: '技术许可合同.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      kind: 'contract',
      uploaderId: buyer.id,
    })
    expect(await storedFiles(dealId)).toEqual([document!.id])
    // The upload is a line in the deal's history.
    expect(
      await prisma.dealEvent.findFirst({ where: { dealId, note: { startsWith: '上传' } } }),
    ).toMatchObject({ actorId: buyer.id, note: '上传合同正本：技术许可合同.pdf' })

    const download = (cookie: string) =>
      fetch(`${baseUrl}/deals/${dealId}/documents/${document!.id}`, {
        redirect: 'manual',
        headers: { Cookie: cookie },
      })
    for (const reader of [seller, bureau, buyer]) {
      const response = await download(reader.cookie)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/pdf')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('技术许可合同.pdf')}`,
      )
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf)
    }
    expect((await download(outsider.cookie)).status).toBe(404)
    expect((await download('')).status).toBe(302)
    const page = await fetch(`${baseUrl}/deals/${dealId}/documents`, {
      headers: { Cookie: seller.cookie },
    })
    expect(await page.text()).toContain('技术许可合同.pdf')
    expect(
      (
        await fetch(`${baseUrl}/deals/${dealId}/documents`, {
          headers: { Cookie: outsider.cookie },
        })
      ).status,
    ).toBe(404)
  })

  test('refuses files that are not what their name says, none of the types, missing or too large, and the wrong people; nothing is kept', async () => {
    const { dealId, buyer, bureau, outsider } = await deal()
    const refusals: [Response, number, string][] = [
      [
        await upload(dealId, buyer.cookie, { bytes: jpeg, name: '合同.pdf' }),
        400,
        '与文件名“合同.pdf”不符',
      ],
      [
        await upload(dealId, buyer.cookie, {
          bytes: new TextEncoder().encode('<script>alert(1)</script>'),
          name: '合同.pdf',
        }),
        400,
        '文件内容不是 PDF、PNG 或 JPEG',
      ],
      [await upload(dealId, buyer.cookie, null), 400, '请选择要上传的文件'],
      [
        await upload(dealId, buyer.cookie, { bytes: pdf, name: 'a.pdf' }, 'secret'),
        400,
        '请选择文件类别',
      ],
      [
        await upload(dealId, bureau.cookie, { bytes: pdf, name: 'a.pdf' }),
        403,
        '只有合同双方和技术经纪人',
      ],
      [await upload(dealId, outsider.cookie, { bytes: pdf, name: 'a.pdf' }), 404, ''],
    ]
    for (const [response, status, message] of refusals) {
      expect(response.status).toBe(status)
      expect(await response.text()).toContain(message)
    }
    const huge = new Uint8Array(DOCUMENT_MAX_BYTES + 512 * 1024)
    huge.set(pdf)
    const tooLarge = await upload(dealId, buyer.cookie, { bytes: huge, name: '扫描件.pdf' })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.text()).toContain('上限 10 MB')
    expect(await prisma.dealDocument.count({ where: { dealId } })).toBe(0)
    expect(await storedFiles(dealId)).toEqual([])

    // A store that fails leaves no row either.
    const failing = {
      put: async () => {
        throw new Error('磁盘已满')
      },
      read: async () => Buffer.alloc(0),
      remove: async () => {},
    }
    const file = new File([pdf], '合同.pdf')
    await expect(
      uploadDealDocument(buyer, dealId, { file, kind: 'contract' }, failing),
    ).rejects.toThrow('磁盘已满')
    expect(await prisma.dealDocument.count({ where: { dealId } })).toBe(0)
  })
})
