import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { createSession } from '~/models/user.server'
import * as detailRoute from '~/routes/experts.$expertId'
import * as editRoute from '~/routes/experts.$expertId_.edit'
import * as listRoute from '~/routes/experts._index'
import * as newRoute from '~/routes/experts.new'
import * as workbenchRoute from '~/routes/workbench'
import { prisma } from '~/utils/db.server'
import { authSessionStorage } from '~/utils/session.server'

import { buildRequest, createTestOrganization, createTestUser, run } from '../setup/remix'

const CONFLICT_MESSAGE = '该专家档案已被他人修改，请刷新页面查看最新内容后再保存'

interface Reply {
  status?: string
  error?: Record<string, string[] | null>
  initialValue?: Record<string, unknown>
}

// A real session row and signed cookie, as login makes them, without paying for a password check.
async function signIn(userId: string) {
  const record = await createSession(userId, {})
  const session = await authSessionStorage.getSession()
  session.set('sessionId', record.id)
  return (await authSessionStorage.commitSession(session)).split(';')[0]!
}

const validForm = {
  name: '李明远',
  title: '教授',
  fields: ['804', '101'],
  keywords: '工业机器人，机器视觉, 智能制造',
  bio: '长期从事工业机器人与机器视觉研究。\n主持国家重点研发计划项目 2 项。',
}

/** Two universities, an enterprise, and the people the permission rules talk about. */
async function createCast() {
  const orgA = await createTestOrganization({ kind: 'university', name: '西安测试大学' })
  const orgB = await createTestOrganization({ kind: 'institute', name: '陕西测试研究院' })
  const orgE = await createTestOrganization({ kind: 'enterprise' })
  const [researcherA1, researcherA2, researcherB, enterprise, admin] = await Promise.all([
    createTestUser({ role: 'researcher', orgId: orgA.id, displayName: '甲一' }),
    createTestUser({ role: 'researcher', orgId: orgA.id, displayName: '甲二' }),
    createTestUser({ role: 'researcher', orgId: orgB.id, displayName: '乙' }),
    createTestUser({ role: 'enterprise', orgId: orgE.id }),
    createTestUser({ role: 'admin' }),
  ])
  const cookies = {
    researcherA1: await signIn(researcherA1.id),
    researcherA2: await signIn(researcherA2.id),
    researcherB: await signIn(researcherB.id),
    enterprise: await signIn(enterprise.id),
    admin: await signIn(admin.id),
  }
  return { orgA, orgB, orgE, researcherA1, researcherA2, researcherB, enterprise, admin, cookies }
}

function createExpertRow(data: {
  name: string
  orgId: string
  fields?: string[]
  keywords?: string[]
  userId?: string
  createdAt?: Date
}) {
  return prisma.expert.create({
    data: { fields: ['804'], keywords: [], ...data },
    select: { id: true, updatedAt: true },
  })
}

function readExpert(id: string) {
  return prisma.expert.findUniqueOrThrow({
    where: { id },
    select: { name: true, title: true, fields: true, keywords: true, bio: true, updatedAt: true },
  })
}

function editRequest(
  id: string,
  cookie: string | null,
  updatedAt: Date | string,
  change: Record<string, string | string[]> = {},
) {
  const token = typeof updatedAt === 'string' ? updatedAt : updatedAt.toISOString()
  return buildRequest(`/experts/${id}/edit`, {
    cookie,
    form: { ...validForm, updatedAt: token, ...change },
  })
}

describe('creating an expert profile', () => {
  test('a researcher creates a profile in their own institution, written with an outbox row', async () => {
    const { orgA, cookies } = await createCast()
    const response = await run(
      newRoute.action,
      buildRequest('/experts/new', { cookie: cookies.researcherA1, form: validForm }),
    )
    expect(response.status).toBe(302)
    const expert = await prisma.expert.findFirstOrThrow({
      select: { id: true, orgId: true, userId: true, fields: true, keywords: true, bio: true },
    })
    expect(response.headers.get('Location')).toBe(`/experts/${expert.id}`)
    expect(response.headers.get('Set-Cookie')).toBeTruthy()
    expect(expert).toMatchObject({
      orgId: orgA.id,
      userId: null,
      fields: ['804', '101'],
      keywords: ['工业机器人', '机器视觉', '智能制造'],
    })
    const outbox = await prisma.searchOutbox.findMany({ select: { entity: true, entityId: true } })
    expect(outbox).toEqual([{ entity: 'expert', entityId: expert.id }])
  })

  test('a researcher links one profile to themselves; a second link is refused on its field', async () => {
    const { researcherA1, cookies } = await createCast()
    const linked = await run(
      newRoute.action,
      buildRequest('/experts/new', {
        cookie: cookies.researcherA1,
        form: { ...validForm, linkToSelf: 'on' },
      }),
    )
    expect(linked.status).toBe(302)
    expect(
      await prisma.expert.findUniqueOrThrow({
        where: { userId: researcherA1.id },
        select: { name: true },
      }),
    ).toEqual({ name: validForm.name })

    const again = await run(
      newRoute.action,
      buildRequest('/experts/new', {
        cookie: cookies.researcherA1,
        form: { ...validForm, name: '李明远（二）', linkToSelf: 'on' },
      }),
    )
    expect(again.status).toBe(400)
    const reply = (await again.json()) as Reply
    expect(reply.error?.linkToSelf).toEqual(['您已关联本人的专家档案，每个账号只能关联一个'])
    expect(reply.initialValue?.name).toBe('李明远（二）')
    expect(await prisma.expert.count()).toBe(1)
    expect(await prisma.searchOutbox.count()).toBe(1)

    // The loader tells the form, which disables the checkbox.
    const page = await run(
      newRoute.loader,
      buildRequest('/experts/new', { cookie: cookies.researcherA1 }),
    )
    expect(await page.json()).toMatchObject({ hasLinkedExpert: true, orgName: '西安测试大学' })
  })

  test.each([
    ['name', { name: '' }, '请填写专家姓名'],
    ['name', { name: '长'.repeat(51) }, '专家姓名不能超过 50 个字符'],
    ['fields', { fields: [] }, '请至少选择一个技术领域'],
    ['fields', { fields: ['101', '102', '103', '804'] }, '技术领域最多 3 个'],
    ['fields[0]', { fields: ['999'] }, '技术领域代码“999”不存在'],
    ['keywords', { keywords: 'a,b,c,d,e,f,g,h,i,j,k' }, '关键词最多 10 个'],
    ['bio', { bio: '长'.repeat(2001) }, '个人简介不能超过 2000 个字符'],
    ['name', { name: '李\u0000明' }, '专家姓名包含无法保存的字符'],
  ])('bad %s is refused in Chinese with the values kept', async (field, change, message) => {
    const { cookies } = await createCast()
    const response = await run(
      newRoute.action,
      buildRequest('/experts/new', {
        cookie: cookies.researcherA1,
        form: { ...validForm, ...change },
      }),
    )
    expect(response.status).toBe(400)
    const reply = (await response.json()) as Reply
    expect(reply.error?.[field]?.join()).toContain(message)
    expect(reply.initialValue?.title).toBe(validForm.title)
    expect(await prisma.expert.count()).toBe(0)
    expect(await prisma.searchOutbox.count()).toBe(0)
  })

  test('visitors are sent to login, other roles get 403, and nothing is written', async () => {
    const { cookies } = await createCast()
    for (const handler of [newRoute.loader, newRoute.action]) {
      const request = (cookie: string | null) =>
        buildRequest(
          '/experts/new',
          handler === newRoute.action ? { cookie, form: validForm } : { cookie },
        )
      const visitor = await run(handler, request(null))
      expect(visitor.status).toBe(302)
      expect(visitor.headers.get('Location')).toBe('/login?redirectTo=%2Fexperts%2Fnew')
      for (const cookie of [cookies.enterprise, cookies.admin]) {
        const forbidden = await run(handler, request(cookie))
        expect(forbidden.status).toBe(403)
      }
    }
    expect(await prisma.expert.count()).toBe(0)
    expect(await prisma.searchOutbox.count()).toBe(0)
  })
  test('a researcher outside any university or institute is told why, and nothing is written', async () => {
    const enterprise = await createTestOrganization({ kind: 'enterprise' })
    for (const orgId of [null, enterprise.id]) {
      const researcher = await createTestUser({ role: 'researcher', orgId })
      const response = await run(
        newRoute.action,
        buildRequest('/experts/new', { cookie: await signIn(researcher.id), form: validForm }),
      )
      expect(response.status).toBe(400)
      expect(((await response.json()) as Reply).error?.['']?.join()).toContain(
        '未关联高校或科研院所',
      )
    }
    expect(await prisma.expert.count()).toBe(0)
    expect(await prisma.searchOutbox.count()).toBe(0)
  })
})

describe('the researcher workbench', () => {
  test('offers to create an expert profile until the researcher has one linked', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const workbench = async () =>
      (await (
        await run(
          workbenchRoute.loader,
          buildRequest('/workbench', { cookie: cookies.researcherA1 }),
        )
      ).json()) as { needsExpertProfile: boolean }
    expect((await workbench()).needsExpertProfile).toBe(true)
    await createExpertRow({ name: '甲一', orgId: orgA.id, userId: researcherA1.id })
    expect((await workbench()).needsExpertProfile).toBe(false)
  })
})

describe('editing an expert profile', () => {
  test('the linked researcher, a colleague of the same institution and an admin may edit', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const expert = await createExpertRow({
      name: '王教授',
      orgId: orgA.id,
      userId: researcherA1.id,
    })

    const page = await run(
      editRoute.loader,
      buildRequest(`/experts/${expert.id}/edit`, { cookie: cookies.researcherA1 }),
      { expertId: expert.id },
    )
    expect(page.status).toBe(200)
    const { expert: loaded } = (await page.json()) as { expert: { updatedAt: string } }
    expect(loaded.updatedAt).toBe(expert.updatedAt.toISOString())

    let token = loaded.updatedAt
    const editors = [
      ['researcherA1', '王教授（本人修改）'],
      ['researcherA2', '王教授（同事修改）'],
      ['admin', '王教授（管理员修改）'],
    ] as const
    for (const [who, name] of editors) {
      const response = await run(
        editRoute.action,
        editRequest(expert.id, cookies[who], token, { name }),
        { expertId: expert.id },
      )
      expect(response.status).toBe(302)
      expect(response.headers.get('Location')).toBe(`/experts/${expert.id}`)
      const saved = await readExpert(expert.id)
      expect(saved.name).toBe(name)
      expect(saved.updatedAt.getTime()).toBeGreaterThan(new Date(token).getTime())
      token = saved.updatedAt.toISOString()
    }
    const outbox = await prisma.searchOutbox.findMany({ select: { entity: true, entityId: true } })
    expect(outbox).toEqual(editors.map(() => ({ entity: 'expert', entityId: expert.id })))
  })

  test('a researcher of another institution and an enterprise user get 404 and change nothing', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const expert = await createExpertRow({
      name: '王教授',
      orgId: orgA.id,
      userId: researcherA1.id,
    })
    const before = await readExpert(expert.id)
    for (const cookie of [cookies.researcherB, cookies.enterprise]) {
      const page = await run(
        editRoute.loader,
        buildRequest(`/experts/${expert.id}/edit`, { cookie }),
        { expertId: expert.id },
      )
      expect(page.status).toBe(404)
      const save = await run(
        editRoute.action,
        editRequest(expert.id, cookie, expert.updatedAt, { name: '被篡改' }),
        { expertId: expert.id },
      )
      expect(save.status).toBe(404)
      // Even broken input learns nothing: the permission answer comes first.
      const broken = await run(
        editRoute.action,
        editRequest(expert.id, cookie, 'not-a-date', { name: '' }),
        { expertId: expert.id },
      )
      expect(broken.status).toBe(404)
    }
    const visitor = await run(
      editRoute.action,
      editRequest(expert.id, null, expert.updatedAt, { name: '被篡改' }),
      { expertId: expert.id },
    )
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toContain('/login')
    expect(await readExpert(expert.id)).toEqual(before)
    expect(await prisma.searchOutbox.count()).toBe(0)
  })

  test('unknown ids are 404 for the edit page and its action', async () => {
    const { cookies } = await createCast()
    const page = await run(
      editRoute.loader,
      buildRequest('/experts/nope/edit', { cookie: cookies.admin }),
      { expertId: 'nope' },
    )
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('未找到该专家档案')
  })

  test('a save from a stale form gets 409, keeps the values and changes nothing', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const expert = await createExpertRow({
      name: '王教授',
      orgId: orgA.id,
      userId: researcherA1.id,
    })
    const first = await run(
      editRoute.action,
      editRequest(expert.id, cookies.researcherA1, expert.updatedAt, { name: '先保存的' }),
      { expertId: expert.id },
    )
    expect(first.status).toBe(302)
    const afterFirst = await readExpert(expert.id)

    const stale = await run(
      editRoute.action,
      editRequest(expert.id, cookies.researcherA2, expert.updatedAt, { name: '后保存的' }),
      { expertId: expert.id },
    )
    expect(stale.status).toBe(409)
    const reply = (await stale.json()) as Reply
    expect(reply.error?.['']).toEqual([CONFLICT_MESSAGE])
    expect(reply.initialValue?.name).toBe('后保存的')
    expect(await readExpert(expert.id)).toEqual(afterFirst)
    expect(await prisma.searchOutbox.count()).toBe(1)
  })

  test('two saves racing from the same form: one wins, the other gets 409', async () => {
    const { orgA, cookies } = await createCast()
    const expert = await createExpertRow({ name: '王教授', orgId: orgA.id })
    const responses = await Promise.all(
      (['researcherA1', 'researcherA2'] as const).map((who) =>
        run(
          editRoute.action,
          editRequest(expert.id, cookies[who], expert.updatedAt, { name: `${who} 的修改` }),
          { expertId: expert.id },
        ),
      ),
    )
    expect(responses.map((response) => response.status).sort()).toEqual([302, 409])
    expect(await prisma.searchOutbox.count()).toBe(1)
  })

  test('a missing or malformed version token is a 400, not a blind overwrite', async () => {
    const { orgA, cookies } = await createCast()
    const expert = await createExpertRow({ name: '王教授', orgId: orgA.id })
    const response = await run(
      editRoute.action,
      editRequest(expert.id, cookies.researcherA1, 'yesterday'),
      { expertId: expert.id },
    )
    expect(response.status).toBe(400)
    expect((await readExpert(expert.id)).name).toBe('王教授')
  })
})

describe('browsing experts', () => {
  async function list(query = '') {
    const response = await run(listRoute.loader, buildRequest(`/experts${query}`))
    expect(response.status).toBe(200)
    return (await response.json()) as {
      total: number
      page: number
      pageCount: number
      experts: { name: string }[]
      filters: Record<string, string | undefined>
    }
  }
  const names = (result: { experts: { name: string }[] }) =>
    result.experts.map((expert) => expert.name).sort()

  test('filters by field (a field code matches its sub-fields) and institution; words go to search', async () => {
    const { orgA, orgB } = await createCast()
    await createExpertRow({
      name: 'Zhang Wei',
      orgId: orgA.id,
      fields: ['804'],
      keywords: ['机器人'],
    })
    await createExpertRow({ name: '陈自动化', orgId: orgA.id, fields: ['80'], keywords: ['控制'] })
    await createExpertRow({ name: '刘软件', orgId: orgB.id, fields: ['101'], keywords: ['机器人'] })
    await createExpertRow({ name: '赵材料', orgId: orgB.id, fields: ['401', '801'] })
    await createExpertRow({ name: '100%_专家', orgId: orgB.id, fields: ['401'] })

    expect(names(await list('?field=80'))).toEqual(['Zhang Wei', '赵材料', '陈自动化'].sort())
    expect(names(await list('?field=804'))).toEqual(['Zhang Wei'])
    expect(names(await list(`?org=${orgB.id}`))).toEqual(['100%_专家', '刘软件', '赵材料'].sort())
    // Words are the search page's to find (inside longer words too), with the field kept.
    const searched = await run(
      listRoute.loader,
      buildRequest(`/experts?q=${encodeURIComponent(' 机器 ')}&field=80&org=x`),
    )
    expect([searched.status, searched.headers.get('Location')]).toEqual([
      302,
      `/search?kind=experts&q=${encodeURIComponent('机器')}&field=80`,
    ])
    expect(names(await list(`?field=10&org=${orgB.id}`))).toEqual(['刘软件'])

    // Invalid filter values are dropped, not refused.
    for (const query of [
      '?field=999',
      '?field=%00',
      '?org=not-an-org',
      `?org=${'x'.repeat(500)}`,
    ]) {
      const result = await list(query)
      expect(result.total, query).toBeGreaterThanOrEqual(0)
    }
    // Malformed page numbers are sent to the one page that exists.
    for (const query of ['?page=abc', '?page=-3']) {
      const response = await run(listRoute.loader, buildRequest(`/experts${query}`))
      expect([query, response.status, response.headers.get('Location')]).toEqual([
        query,
        302,
        '/experts',
      ])
    }
    expect((await list('?field=999&org=nope')).total).toBe(5)
  })

  test('20 a page, newest first, and a page past the end redirects to the last page', async () => {
    const { orgA } = await createCast()
    const start = Date.UTC(2025, 0, 1)
    for (let index = 1; index <= 25; index++) {
      await createExpertRow({
        name: `专家${String(index).padStart(2, '0')}`,
        orgId: orgA.id,
        createdAt: new Date(start + index * 60_000),
      })
    }
    const first = await list()
    expect(first).toMatchObject({ total: 25, page: 1, pageCount: 2 })
    expect(first.experts).toHaveLength(20)
    expect(first.experts[0]?.name).toBe('专家25')
    const second = await list('?page=2')
    expect(second.experts.map((expert) => expert.name)).toEqual([
      '专家05',
      '专家04',
      '专家03',
      '专家02',
      '专家01',
    ])
    // A page past the end, however large, is sent to the last page; the filters stay.
    const past = await run(
      listRoute.loader,
      buildRequest('/experts?page=99999999999999999999&field=80'),
    )
    expect(past.status).toBe(302)
    expect(past.headers.get('Location')).toBe('/experts?field=80&page=2')
  })

  test('an empty list says so in the loader data', async () => {
    expect(await list()).toMatchObject({ total: 0, experts: [], pageCount: 1 })
  })
})

describe('expert detail', () => {
  test('shows the profile and only the public results the expert leads', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const expert = await createExpertRow({
      name: '王教授',
      orgId: orgA.id,
      userId: researcherA1.id,
      fields: ['804'],
      keywords: ['机器人'],
    })
    const now = Date.now()
    const day = 24 * 60 * 60 * 1000
    const results = [
      {
        title: '已发布成果',
        status: 'published',
        expiresAt: new Date(now + 30 * day),
        askingPrice: 500_000,
      },
      {
        title: '洽谈中成果',
        status: 'in_negotiation',
        expiresAt: new Date(now + 30 * day),
        askingPrice: null,
      },
      { title: '草稿成果', status: 'draft', expiresAt: null, askingPrice: null },
      { title: '待审核成果', status: 'pending_review', expiresAt: null, askingPrice: null },
      {
        title: '已过期成果',
        status: 'published',
        expiresAt: new Date(now - day),
        askingPrice: null,
      },
      { title: '已撤回成果', status: 'withdrawn', expiresAt: null, askingPrice: null },
    ] as const
    for (const result of results) {
      await prisma.result.create({
        data: {
          ...result,
          summary: '一项用于测试的科技成果，介绍文字足够长。',
          fieldCode: '804',
          trl: 6,
          orgId: orgA.id,
          leadExpertId: expert.id,
          transferModes: ['license'],
          publishedAt: new Date(now - day),
        },
      })
    }

    const visitor = await run(detailRoute.loader, buildRequest(`/experts/${expert.id}`), {
      expertId: expert.id,
    })
    expect(visitor.status).toBe(200)
    const data = (await visitor.json()) as {
      canEdit: boolean
      expert: {
        name: string
        org: { name: string; kind: string; regionCode: string }
        results: { title: string; trl: number; askingPrice: string | null }[]
      }
    }
    expect(data.canEdit).toBe(false)
    expect(data.expert.org).toMatchObject({ name: '西安测试大学', kind: 'university' })
    expect(data.expert.results.map((result) => result.title).sort()).toEqual(
      ['已发布成果', '洽谈中成果'].sort(),
    )
    expect(data.expert.results.find((result) => result.title === '已发布成果')).toMatchObject({
      trl: 6,
      askingPrice: '500000',
    })

    const canEdit = async (cookie: string | null) => {
      const response = await run(
        detailRoute.loader,
        buildRequest(`/experts/${expert.id}`, { cookie }),
        { expertId: expert.id },
      )
      return ((await response.json()) as { canEdit: boolean }).canEdit
    }
    expect(await canEdit(cookies.researcherA1)).toBe(true)
    expect(await canEdit(cookies.researcherA2)).toBe(true)
    expect(await canEdit(cookies.admin)).toBe(true)
    expect(await canEdit(cookies.researcherB)).toBe(false)
    expect(await canEdit(cookies.enterprise)).toBe(false)
  })

  test('an unknown id is a 404 in Chinese', async () => {
    const response = await run(detailRoute.loader, buildRequest('/experts/nope'), {
      expertId: 'nope',
    })
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('该专家档案不存在或已被删除')
  })
})

describe('random input', () => {
  // Text of every kind, including NUL and lone surrogates, plus values that are nearly valid.
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constantFrom('', ' ', '80', '804', '999', 'on', 'off', 'true', '2025-01-01T00:00:00.000Z'),
    fc.string({ minLength: 2001, maxLength: 2100 }),
  )
  const value = fc.oneof(text, fc.array(text, { maxLength: 5 }))
  // Keys conform reads as paths, and keys that would pollute prototypes if handled carelessly.
  const oddKey = fc.constantFrom(
    'name.first',
    'fields[0]',
    'fields[9].x',
    'keywords[1]',
    '__proto__',
    '__proto__.polluted',
    'constructor.prototype.polluted',
    '__intent__',
    '',
  )
  // Half the runs start from a valid form and break some of it, so that saves happen too.
  const mostly = (valid: string | string[]) =>
    fc.oneof({ arbitrary: fc.constant(valid), weight: 6 }, { arbitrary: value, weight: 1 })
  const known = fc.oneof(
    fc.record(
      {
        name: value,
        title: value,
        fields: fc.oneof(value, fc.subarray(['10', '101', '804', '80', '401'])),
        keywords: value,
        bio: value,
        linkToSelf: value,
        updatedAt: value,
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        name: mostly(validForm.name),
        title: mostly(validForm.title),
        fields: mostly(validForm.fields),
        keywords: mostly(validForm.keywords),
        bio: mostly(validForm.bio),
        linkToSelf: fc.oneof(fc.constant('on'), value),
        updatedAt: mostly('2025-01-01T00:00:00.000Z'),
      },
      { requiredKeys: ['name', 'fields'] },
    ),
  )
  const form = fc
    .tuple(
      known,
      fc.dictionary(fc.oneof(oddKey, fc.string({ maxLength: 12 })), value, { maxKeys: 2 }),
      fc.boolean(),
    )
    .map(([knownFields, extra, useCurrentToken]) => ({
      form: { ...extra, ...knownFields } as Record<string, string | string[]>,
      useCurrentToken,
    }))

  test('create and edit answer a 4xx or a redirect, never a 500, and write nothing on a 4xx', async () => {
    const { orgA, researcherA1, cookies } = await createCast()
    const expert = await createExpertRow({
      name: '王教授',
      orgId: orgA.id,
      userId: researcherA1.id,
    })
    await fc.assert(
      fc.asyncProperty(form, async ({ form: body, useCurrentToken }) => {
        for (const target of ['create', 'edit'] as const) {
          const fields = { ...body }
          if (target === 'edit' && useCurrentToken) {
            fields.updatedAt = (await readExpert(expert.id)).updatedAt.toISOString()
          }
          const [expertsBefore, outboxBefore, rowBefore] = await Promise.all([
            prisma.expert.count(),
            prisma.searchOutbox.count(),
            readExpert(expert.id),
          ])
          const response =
            target === 'create'
              ? await run(
                  newRoute.action,
                  buildRequest('/experts/new', { cookie: cookies.researcherA2, form: fields }),
                )
              : await run(
                  editRoute.action,
                  buildRequest(`/experts/${expert.id}/edit`, {
                    cookie: cookies.researcherA1,
                    form: fields,
                  }),
                  { expertId: expert.id },
                )
          const [expertsAfter, outboxAfter, rowAfter] = await Promise.all([
            prisma.expert.count(),
            prisma.searchOutbox.count(),
            readExpert(expert.id),
          ])
          if (response.status === 302) {
            expect(outboxAfter).toBe(outboxBefore + 1)
            expect(expertsAfter).toBe(expertsBefore + (target === 'create' ? 1 : 0))
          } else {
            expect(response.status).toBeGreaterThanOrEqual(400)
            expect(response.status).toBeLessThan(500)
            expect(expertsAfter).toBe(expertsBefore)
            expect(outboxAfter).toBe(outboxBefore)
            expect(rowAfter).toEqual(rowBefore)
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: 100 },
    )
  }, 120_000)
})
