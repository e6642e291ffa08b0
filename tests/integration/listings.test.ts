import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { expireStaleListings } from '~/models/listing.server'
import * as expertRoute from '~/routes/experts.$expertId'
import * as editExpertRoute from '~/routes/experts.$expertId_.edit'
import * as expertsIndexRoute from '~/routes/experts._index'
import * as myListingsRoute from '~/routes/my.listings'
import * as needRoute from '~/routes/needs.$needId'
import * as editNeedRoute from '~/routes/needs.$needId_.edit'
import * as needsIndexRoute from '~/routes/needs._index'
import * as newNeedRoute from '~/routes/needs.new'
import * as resultRoute from '~/routes/results.$resultId'
import * as editResultRoute from '~/routes/results.$resultId_.edit'
import * as resultsIndexRoute from '~/routes/results._index'
import * as newResultRoute from '~/routes/results.new'
import * as reviewRoute from '~/routes/review._index'
import { prisma } from '~/utils/db.server'

import { buildRequest, createTestOrganization, createSignedInUser, run } from '../setup/remix'

const resultForm = {
  title: '高镍三元正极材料低成本制备技术',
  summary:
    '采用共沉淀与固相烧结联用工艺，制备的高镍三元正极材料首次放电比容量达 205 mAh/g，成本降低 18%。',
  fieldCode: '804',
  keywords: '正极材料，高镍，锂电池',
  trl: '6',
  transferModes: ['license', 'transfer'],
  askingPrice: '150',
}

const needForm = {
  title: '涡轮叶片铸造缺陷在线检测',
  description:
    '我公司在涡轮叶片精密铸造中存在疏松、夹杂检出率低的问题，需要在线无损检测技术，要求检出率 95% 以上。',
  fieldCode: '502',
  budgetMin: '20',
  budgetMax: '50',
  cooperationModes: ['commissioned_development'],
}

async function jsonOf(response: Response) {
  return (await response.json()) as Record<string, unknown>
}

async function publicResultIds() {
  const response = await run(resultsIndexRoute.loader, buildRequest('/results'))
  return ((await jsonOf(response)).items as { id: string }[]).map((item) => item.id)
}

async function createDraftResult(cookie: string | null) {
  const response = await run(
    newResultRoute.action,
    buildRequest('/results/new', { cookie, form: resultForm }),
  )
  expect(response.status).toBe(302)
  return response.headers.get('Location')!.split('/').at(-1)!
}

describe('results from draft to public', () => {
  test('a researcher publishes, a broker approves, the public sees it', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const broker = await createSignedInUser('broker')

    const id = await createDraftResult(researcher.cookie)
    const draft = await prisma.result.findUniqueOrThrow({
      where: { id },
      select: { status: true, askingPrice: true, orgId: true },
    })
    expect(draft).toMatchObject({ status: 'draft', orgId: university.id })
    expect(Number(draft.askingPrice)).toBe(1_500_000)
    // Drafts are never public, not even by their address.
    expect(
      (await run(resultRoute.loader, buildRequest(`/results/${id}`), { resultId: id })).status,
    ).toBe(404)

    const submitted = await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: researcher.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )
    expect(submitted.status).toBe(302)
    expect(await publicResultIds()).not.toContain(id)

    const approved = await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: broker.cookie,
        form: { intent: 'approve', kind: 'result', id },
      }),
    )
    expect(approved.status).toBe(302)
    const published = await prisma.result.findUniqueOrThrow({
      where: { id },
      select: { status: true, expiresAt: true, confirmedAt: true },
    })
    expect(published.status).toBe('published')
    expect(published.expiresAt!.getTime() - published.confirmedAt!.getTime()).toBe(180 * 86_400_000)
    expect(await publicResultIds()).toContain(id)

    // Who decided is on record, the owner was told, and every step queued the search index.
    expect(
      await prisma.moderationDecision.findMany({ select: { outcome: true, moderatorId: true } }),
    ).toEqual([{ outcome: 'approved', moderatorId: broker.user.id }])
    expect(
      await prisma.notification.count({
        where: { userId: researcher.user.id, kind: 'moderation_approved' },
      }),
    ).toBe(1)
    expect(await prisma.searchOutbox.count({ where: { entity: 'result', entityId: id } })).toBe(3)
  })

  test('a rejection carries its reason to the owner and keeps the result private', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const bureau = await createSignedInUser('bureau')
    const id = await createDraftResult(researcher.cookie)
    await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: researcher.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )

    const noReason = await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: bureau.cookie,
        form: { intent: 'reject', kind: 'result', id, reason: '' },
      }),
    )
    expect(noReason.status).toBe(400)
    expect((await jsonOf(noReason)).error).toBe('请填写驳回理由')
    expect(
      (await prisma.result.findUniqueOrThrow({ where: { id }, select: { status: true } })).status,
    ).toBe('pending_review')

    await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: bureau.cookie,
        form: { intent: 'reject', kind: 'result', id, reason: '缺少关键性能指标' },
      }),
    )
    const ownerView = await jsonOf(
      await run(resultRoute.loader, buildRequest(`/results/${id}`, { cookie: researcher.cookie }), {
        resultId: id,
      }),
    )
    expect(ownerView.result).toMatchObject({
      status: 'rejected',
      rejectionReason: '缺少关键性能指标',
    })
    expect(
      (await run(resultRoute.loader, buildRequest(`/results/${id}`), { resultId: id })).status,
    ).toBe(404)

    // A second decision on the same listing is refused: it is no longer waiting for review.
    const again = await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: bureau.cookie,
        form: { intent: 'approve', kind: 'result', id },
      }),
    )
    expect(again.status).toBe(409)
  })

  test('researchers cannot moderate and visitors are sent to login', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    expect(
      (await run(reviewRoute.loader, buildRequest('/review', { cookie: researcher.cookie })))
        .status,
    ).toBe(403)
    expect((await run(reviewRoute.loader, buildRequest('/review'))).headers.get('Location')).toBe(
      '/login?redirectTo=%2Freview',
    )
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    expect(
      (
        await run(
          newResultRoute.loader,
          buildRequest('/results/new', { cookie: enterprise.cookie }),
        )
      ).status,
    ).toBe(403)
  })
})

describe('editing', () => {
  test('another organization cannot edit, and a stale version is detected', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const owner = await createSignedInUser('researcher', university.id)
    const stranger = await createSignedInUser(
      'researcher',
      (await createTestOrganization({ kind: 'institute' })).id,
    )
    const id = await createDraftResult(owner.cookie)
    const edit = (cookie: string | null, version: string, title: string) =>
      run(
        editResultRoute.action,
        buildRequest(`/results/${id}/edit`, { cookie, form: { ...resultForm, title, version } }),
        { resultId: id },
      )

    expect(
      (
        await run(
          editResultRoute.loader,
          buildRequest(`/results/${id}/edit`, { cookie: stranger.cookie }),
          { resultId: id },
        )
      ).status,
    ).toBe(404)
    expect((await edit(stranger.cookie, '1', '别人的修改')).status).toBe(404)
    expect(
      (await prisma.result.findUniqueOrThrow({ where: { id }, select: { title: true } })).title,
    ).toBe(resultForm.title)

    expect((await edit(owner.cookie, '1', '第一次修改后的成果名称')).status).toBe(302)
    const stale = await edit(owner.cookie, '1', '基于旧版本的修改')
    expect(stale.status).toBe(409)
    const reply = await jsonOf(stale)
    expect(JSON.stringify(reply.error)).toContain('已被他人修改')
    expect((reply.initialValue as Record<string, string>).title).toBe('基于旧版本的修改')
    expect(
      await prisma.result.findUniqueOrThrow({
        where: { id },
        select: { title: true, version: true },
      }),
    ).toEqual({
      title: '第一次修改后的成果名称',
      version: 2,
    })
  })

  test('editing a published result sends it back to review', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const owner = await createSignedInUser('researcher', university.id)
    const broker = await createSignedInUser('broker')
    const id = await createDraftResult(owner.cookie)
    await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: owner.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )
    await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: broker.cookie,
        form: { intent: 'approve', kind: 'result', id },
      }),
    )
    const response = await run(
      editResultRoute.action,
      buildRequest(`/results/${id}/edit`, {
        cookie: owner.cookie,
        form: { ...resultForm, trl: '7', version: '1' },
      }),
      { resultId: id },
    )
    expect(response.status).toBe(302)
    expect(
      await prisma.result.findUniqueOrThrow({ where: { id }, select: { status: true, trl: true } }),
    ).toEqual({ status: 'pending_review', trl: 7 })
    expect(await publicResultIds()).not.toContain(id)
  })
})

describe('needs', () => {
  test('an enterprise posts a need; bad budgets and past deadlines are refused with nothing written', async () => {
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const inverted = await run(
      newNeedRoute.action,
      buildRequest('/needs/new', {
        cookie: enterprise.cookie,
        form: { ...needForm, budgetMin: '80' },
      }),
    )
    expect(inverted.status).toBe(400)
    expect(JSON.stringify(await inverted.json())).toContain('预算上限不能低于预算下限')
    const past = await run(
      newNeedRoute.action,
      buildRequest('/needs/new', {
        cookie: enterprise.cookie,
        form: { ...needForm, deadline: '2020-05-01' },
      }),
    )
    expect(JSON.stringify(await past.json())).toContain('截止日期不能早于今天')
    expect(await prisma.need.count()).toBe(0)

    const created = await run(
      newNeedRoute.action,
      buildRequest('/needs/new', { cookie: enterprise.cookie, form: needForm }),
    )
    expect(created.status).toBe(302)
    const need = await prisma.need.findFirstOrThrow({
      select: { status: true, budgetMin: true, budgetMax: true },
    })
    expect(need.status).toBe('draft')
    expect([Number(need.budgetMin), Number(need.budgetMax)]).toEqual([200_000, 500_000])
    const researcher = await createSignedInUser(
      'researcher',
      (await createTestOrganization({ kind: 'university' })).id,
    )
    expect(
      (await run(newNeedRoute.loader, buildRequest('/needs/new', { cookie: researcher.cookie })))
        .status,
    ).toBe(403)
  })
})

describe('freshness', () => {
  test('stale listings leave public view, stay visible to their owner, and come back with one click', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const owner = await createSignedInUser('researcher', university.id)
    const broker = await createSignedInUser('broker')
    const id = await createDraftResult(owner.cookie)
    await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: owner.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )
    await run(
      reviewRoute.action,
      buildRequest('/review', {
        cookie: broker.cookie,
        form: { intent: 'approve', kind: 'result', id },
      }),
    )

    await prisma.result.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect(await expireStaleListings()).toEqual({ result: 1, need: 0 })
    expect(await expireStaleListings()).toEqual({ result: 0, need: 0 })
    expect(await publicResultIds()).not.toContain(id)
    expect(
      (await run(resultRoute.loader, buildRequest(`/results/${id}`), { resultId: id })).status,
    ).toBe(404)
    const mine = await jsonOf(
      await run(myListingsRoute.loader, buildRequest('/my/listings', { cookie: owner.cookie })),
    )
    expect(
      (mine.expiring as { id: string; status: string }[]).map((item) => [item.id, item.status]),
    ).toEqual([[id, 'expired']])

    const reconfirmed = await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, {
        cookie: owner.cookie,
        form: { intent: 'reconfirm', redirectTo: '/my/listings' },
      }),
      { resultId: id },
    )
    expect(reconfirmed.headers.get('Location')).toBe('/my/listings')
    const fresh = await prisma.result.findUniqueOrThrow({
      where: { id },
      select: { status: true, expiresAt: true },
    })
    expect(fresh.status).toBe('published')
    expect(fresh.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 179 * 86_400_000)
    expect(await publicResultIds()).toContain(id)

    // Someone else's button press matches nothing.
    const stranger = await createSignedInUser(
      'researcher',
      (await createTestOrganization({ kind: 'institute' })).id,
    )
    expect(
      (
        await run(
          resultRoute.action,
          buildRequest(`/results/${id}`, { cookie: stranger.cookie, form: { intent: 'withdraw' } }),
          { resultId: id },
        )
      ).status,
    ).toBe(404)
  })
})

describe('browsing', () => {
  test('public lists filter by field (with its sub-fields), TRL, district and mode, and paginate', async () => {
    const inYanta = await createTestOrganization({ kind: 'university', regionCode: '610113' })
    const inBeilin = await createTestOrganization({ kind: 'university', regionCode: '610103' })
    const future = new Date(Date.now() + 30 * 86_400_000)
    const base = {
      summary: resultForm.summary,
      status: 'published' as const,
      expiresAt: future,
      publishedAt: new Date(),
    }
    await prisma.result.createMany({
      data: [
        ...Array.from({ length: 23 }, (_, i) => ({
          ...base,
          title: `新能源成果${i}`,
          fieldCode: '804',
          trl: 6,
          transferModes: ['license' as const],
          orgId: inYanta.id,
        })),
        {
          ...base,
          title: '软件成果',
          fieldCode: '101',
          trl: 3,
          transferModes: ['transfer' as const],
          orgId: inBeilin.id,
        },
      ],
    })
    const list = async (query: string) =>
      jsonOf(await run(resultsIndexRoute.loader, buildRequest(`/results${query}`)))
    expect((await list('')).total).toBe(24)
    expect(((await list('')).items as unknown[]).length).toBe(20)
    expect(((await list('?page=2')).items as unknown[]).length).toBe(4)
    expect((await list('?field=80')).total).toBe(23)
    expect((await list('?field=101')).total).toBe(1)
    expect((await list('?trl=5')).total).toBe(23)
    expect((await list('?region=610103')).total).toBe(1)
    expect((await list('?mode=transfer')).total).toBe(1)
    // Nonsense filters are ignored, never an error page.
    expect((await list('?field=abc&trl=99&mode=steal')).total).toBe(24)
    expect(
      (await jsonOf(await run(needsIndexRoute.loader, buildRequest('/needs?field=zz')))).total,
    ).toBe(0)
  })
})

describe('random input', () => {
  test('every listing action answers random forms with a 4xx or a redirect, and writes nothing on 4xx', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const broker = await createSignedInUser('broker')
    const existing = await createDraftResult(researcher.cookie)
    const value = fc.oneof(
      fc.string({ maxLength: 150 }),
      fc.constantFrom(
        '',
        '804',
        '6',
        'license',
        'approve',
        'reject',
        'result',
        'need',
        '-1',
        '1e30',
        '含\u0000空字符',
      ),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    )
    const form = fc.dictionary(
      fc.constantFrom(
        'title',
        'summary',
        'description',
        'fieldCode',
        'keywords',
        'trl',
        'ipType',
        'patentNos',
        'transferModes',
        'askingPrice',
        'budgetMin',
        'budgetMax',
        'deadline',
        'cooperationModes',
        'version',
        'intent',
        'kind',
        'id',
        'reason',
      ),
      value,
    )
    const targets: {
      handler: (args: Parameters<typeof resultRoute.action>[0]) => Promise<unknown>
      path: string
      cookie: string | null
      params: Record<string, string>
    }[] = [
      {
        handler: newResultRoute.action,
        path: '/results/new',
        cookie: researcher.cookie,
        params: {},
      },
      {
        handler: editResultRoute.action,
        path: `/results/${existing}/edit`,
        cookie: researcher.cookie,
        params: { resultId: existing },
      },
      {
        handler: resultRoute.action,
        path: `/results/${existing}`,
        cookie: researcher.cookie,
        params: { resultId: existing },
      },
      { handler: newNeedRoute.action, path: '/needs/new', cookie: enterprise.cookie, params: {} },
      { handler: reviewRoute.action, path: '/review', cookie: broker.cookie, params: {} },
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), form, async (target, fields) => {
        const before = await prisma.$transaction([
          prisma.result.count(),
          prisma.need.count(),
          prisma.searchOutbox.count(),
        ])
        const response = await run(
          target.handler,
          buildRequest(target.path, {
            cookie: target.cookie,
            form: fields as Record<string, string | string[]>,
          }),
          target.params,
        )
        expect(response.status).toBeLessThan(500)
        if (response.status >= 400) {
          const after = await prisma.$transaction([
            prisma.result.count(),
            prisma.need.count(),
            prisma.searchOutbox.count(),
          ])
          expect(after).toEqual(before)
        }
      }),
      { numRuns: 80 },
    )
  })
})

describe('malformed posts', () => {
  test('a tampered conform intent or a body that is not a form is a 400, not a crash', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const tampered = await run(
      newResultRoute.action,
      buildRequest('/results/new', {
        cookie: researcher.cookie,
        form: { ...resultForm, __intent__: '{not json' },
      }),
    )
    expect(tampered.status).toBe(400)
    const notAForm = new Request('http://localhost:3000/results/new', {
      method: 'POST',
      headers: { Cookie: researcher.cookie!, 'Content-Type': 'application/json' },
      body: '{"title": 1}',
    })
    expect((await run(newResultRoute.action, notAForm)).status).toBe(400)
    expect(await prisma.result.count()).toBe(0)
  })
})

describe('malformed ids and page numbers', () => {
  // A NUL byte makes PostgreSQL refuse the whole query; these reached it and answered 500.
  const badIds = ['\u0000', 'a\u0000b', "x' OR '1'='1", 'é', 'a'.repeat(65), '']

  test('every page and action with an id answers 404 for an id that cannot exist', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const broker = await createSignedInUser('broker')
    const cases: {
      handler: (args: Parameters<typeof resultRoute.loader>[0]) => Promise<unknown>
      path: (id: string) => string
      param: string
      cookie: string | null
      form?: Record<string, string>
    }[] = [
      {
        handler: resultRoute.loader,
        path: (id) => `/results/${id}`,
        param: 'resultId',
        cookie: null,
      },
      {
        handler: resultRoute.action,
        path: (id) => `/results/${id}`,
        param: 'resultId',
        cookie: researcher.cookie,
        form: { intent: 'withdraw' },
      },
      {
        handler: editResultRoute.loader,
        path: (id) => `/results/${id}/edit`,
        param: 'resultId',
        cookie: researcher.cookie,
      },
      {
        handler: editResultRoute.action,
        path: (id) => `/results/${id}/edit`,
        param: 'resultId',
        cookie: researcher.cookie,
        form: { ...resultForm, transferModes: 'license', version: '1' },
      },
      { handler: needRoute.loader, path: (id) => `/needs/${id}`, param: 'needId', cookie: null },
      {
        handler: needRoute.action,
        path: (id) => `/needs/${id}`,
        param: 'needId',
        cookie: enterprise.cookie,
        form: { intent: 'submit' },
      },
      {
        handler: editNeedRoute.loader,
        path: (id) => `/needs/${id}/edit`,
        param: 'needId',
        cookie: enterprise.cookie,
      },
      {
        handler: editNeedRoute.action,
        path: (id) => `/needs/${id}/edit`,
        param: 'needId',
        cookie: enterprise.cookie,
        form: { ...needForm, cooperationModes: 'consulting', version: '1' },
      },
      {
        handler: expertRoute.loader,
        path: (id) => `/experts/${id}`,
        param: 'expertId',
        cookie: null,
      },
      {
        handler: editExpertRoute.loader,
        path: (id) => `/experts/${id}/edit`,
        param: 'expertId',
        cookie: researcher.cookie,
      },
      {
        handler: editExpertRoute.action,
        path: (id) => `/experts/${id}/edit`,
        param: 'expertId',
        cookie: researcher.cookie,
        form: { name: '李明远', fields: '804', updatedAt: new Date().toISOString() },
      },
    ]
    for (const target of cases) {
      for (const id of badIds) {
        const response = await run(
          target.handler,
          buildRequest(target.path(encodeURIComponent(id)), {
            cookie: target.cookie,
            form: target.form,
          }),
          { [target.param]: id },
        )
        expect([target.path(JSON.stringify(id)), response.status]).toEqual([
          target.path(JSON.stringify(id)),
          404,
        ])
        expect(await response.text()).toMatch(/不存在|未找到/)
      }
    }
    for (const id of badIds) {
      const review = await run(
        reviewRoute.action,
        buildRequest('/review', {
          cookie: broker.cookie,
          form: { intent: 'approve', kind: 'result', id },
        }),
      )
      expect([id, review.status]).toEqual([id, id === '' ? 400 : 404])
    }
    expect(await prisma.moderationDecision.count()).toBe(0)
  })

  test('a page number past the end, huge or malformed redirects to a page that exists', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const researcher = await createSignedInUser('researcher', university.id)
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const broker = await createSignedInUser('broker')
    const huge = '99999999999999999999'
    const lists: {
      handler: (args: Parameters<typeof resultRoute.loader>[0]) => Promise<unknown>
      path: string
      cookie: string | null
    }[] = [
      { handler: resultsIndexRoute.loader, path: '/results', cookie: null },
      { handler: needsIndexRoute.loader, path: '/needs', cookie: null },
      { handler: expertsIndexRoute.loader, path: '/experts', cookie: null },
      { handler: reviewRoute.loader, path: '/review', cookie: broker.cookie },
      { handler: myListingsRoute.loader, path: '/my/listings', cookie: researcher.cookie },
      { handler: myListingsRoute.loader, path: '/my/listings', cookie: enterprise.cookie },
    ]
    for (const list of lists) {
      for (const page of [huge, '999', '0', '-3', '1.5', 'abc', '1e3', '1']) {
        const response = await run(
          list.handler,
          buildRequest(`${list.path}?page=${page}`, { cookie: list.cookie }),
        )
        // Nothing is listed, so the one page that exists is the bare list.
        expect([list.path, page, response.status, response.headers.get('Location')]).toEqual([
          list.path,
          page,
          302,
          list.path,
        ])
      }
      const canonical = await run(list.handler, buildRequest(list.path, { cookie: list.cookie }))
      expect(canonical.status).toBe(200)
    }
  })

  test('a page past the end shows the last page and keeps the filters', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const future = new Date(Date.now() + 30 * 86_400_000)
    await prisma.result.createMany({
      data: Array.from({ length: 45 }, (_, i) => ({
        title: `储能成果${i}`,
        summary: resultForm.summary,
        status: 'published' as const,
        expiresAt: future,
        publishedAt: new Date(),
        fieldCode: '804',
        trl: 6,
        transferModes: ['license' as const],
        orgId: university.id,
      })),
    })
    const get = (query: string) => run(resultsIndexRoute.loader, buildRequest(`/results${query}`))
    const past = await get('?field=80&page=99999999999999999999&trl=5')
    expect(past.status).toBe(302)
    expect(past.headers.get('Location')).toBe('/results?field=80&trl=5&page=3')
    const last = await jsonOf(await get('?field=80&trl=5&page=3'))
    expect(last).toMatchObject({ page: 3, pageCount: 3, total: 45 })
    expect((last.items as unknown[]).length).toBe(5)
    // Page 1 has one address: without the parameter.
    expect((await get('?field=80&page=1')).headers.get('Location')).toBe('/results?field=80')
  })

  test('empty parameters of a filter form are dropped by a redirect to the clean address', async () => {
    const cases: [string, string][] = [
      ['/results?field=&trl=&region=&mode=', '/results'],
      ['/results?field=80&trl=&region=&mode=license', '/results?field=80&mode=license'],
      ['/needs?field=&region=610113&mode=', '/needs?region=610113'],
      ['/experts?field=&org=&q=+', '/experts'],
    ]
    const handlers: Record<
      string,
      (args: Parameters<typeof resultRoute.loader>[0]) => Promise<unknown>
    > = {
      '/results': resultsIndexRoute.loader,
      '/needs': needsIndexRoute.loader,
      '/experts': expertsIndexRoute.loader,
    }
    for (const [from, to] of cases) {
      const response = await run(handlers[new URL(from, 'http://x').pathname]!, buildRequest(from))
      expect([from, response.status, response.headers.get('Location')]).toEqual([from, 302, to])
    }
  })
})

describe('what an owner may do in each status', () => {
  async function pendingResult() {
    const university = await createTestOrganization({ kind: 'university' })
    const owner = await createSignedInUser('researcher', university.id)
    const id = await createDraftResult(owner.cookie)
    await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: owner.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )
    return { owner, id }
  }

  test('a pending result can be withdrawn from review, back to an editable draft', async () => {
    const { owner, id } = await pendingResult()
    // No edit while a moderator may be reading it: the page offers none, the edit route agrees.
    const edit = await run(
      editResultRoute.loader,
      buildRequest(`/results/${id}/edit`, { cookie: owner.cookie }),
      { resultId: id },
    )
    expect(edit.status).toBe(404)
    const withdrawn = await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, {
        cookie: owner.cookie,
        form: { intent: 'withdraw', redirectTo: '/my/listings' },
      }),
      { resultId: id },
    )
    expect(withdrawn.status).toBe(302)
    expect(withdrawn.headers.get('Location')).toBe('/my/listings')
    expect(
      (await prisma.result.findUniqueOrThrow({ where: { id }, select: { status: true } })).status,
    ).toBe('draft')
    const editable = await run(
      editResultRoute.loader,
      buildRequest(`/results/${id}/edit`, { cookie: owner.cookie }),
      { resultId: id },
    )
    expect(editable.status).toBe(200)
  })

  test('withdrawing a pending need returns it to draft instead of closing it', async () => {
    const enterprise = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const created = await run(
      newNeedRoute.action,
      buildRequest('/needs/new', { cookie: enterprise.cookie, form: needForm }),
    )
    const id = created.headers.get('Location')!.split('/').at(-1)!
    await run(
      needRoute.action,
      buildRequest(`/needs/${id}`, { cookie: enterprise.cookie, form: { intent: 'submit' } }),
      { needId: id },
    )
    const withdrawn = await run(
      needRoute.action,
      buildRequest(`/needs/${id}`, { cookie: enterprise.cookie, form: { intent: 'withdraw' } }),
      { needId: id },
    )
    expect(withdrawn.status).toBe(302)
    expect(
      (await prisma.need.findUniqueOrThrow({ where: { id }, select: { status: true } })).status,
    ).toBe('draft')
  })

  test('re-confirming a result in negotiation keeps it in negotiation', async () => {
    const { owner, id } = await pendingResult()
    await prisma.result.update({
      where: { id },
      data: { status: 'in_negotiation', expiresAt: new Date(Date.now() + 86_400_000) },
    })
    const reconfirmed = await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: owner.cookie, form: { intent: 'reconfirm' } }),
      { resultId: id },
    )
    expect(reconfirmed.status).toBe(302)
    const row = await prisma.result.findUniqueOrThrow({
      where: { id },
      select: { status: true, expiresAt: true },
    })
    expect(row.status).toBe('in_negotiation')
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 179 * 86_400_000)
    // A move its status does not allow is refused and changes nothing.
    const submitted = await run(
      resultRoute.action,
      buildRequest(`/results/${id}`, { cookie: owner.cookie, form: { intent: 'submit' } }),
      { resultId: id },
    )
    expect(submitted.status).toBe(409)
    expect(await jsonOf(submitted)).toEqual({ error: '当前状态不能提交审核' })
  })
})
