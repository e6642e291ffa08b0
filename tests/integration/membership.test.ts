import pg from 'pg'
import { describe, expect, test } from 'vitest'

import { completeCreditCode } from '~/domain/credit-code'
import { MARKET_EVENTS_CHANNEL } from '~/realtime/events'
import { loader as rootLoader } from '~/root'
import * as expertRoute from '~/routes/experts.$expertId'
import * as editExpertRoute from '~/routes/experts.$expertId_.edit'
import * as expertsIndexRoute from '~/routes/experts._index'
import * as newExpertRoute from '~/routes/experts.new'
import * as loginRoute from '~/routes/login'
import * as myListingsRoute from '~/routes/my.listings'
import * as membersRoute from '~/routes/org.members'
import * as registerRoute from '~/routes/register'
import * as resultRoute from '~/routes/results.$resultId'
import * as editResultRoute from '~/routes/results.$resultId_.edit'
import * as newResultRoute from '~/routes/results.new'
import * as workbenchRoute from '~/routes/workbench'
import { prisma } from '~/utils/db.server'

import {
  buildRequest,
  cookieFrom,
  createTestOrganization,
  createTestUser,
  run,
  TEST_PASSWORD,
} from '../setup/remix'

const PASSWORD = 'Secret123'

async function signIn(email: string, password = TEST_PASSWORD) {
  const response = await run(
    loginRoute.action,
    buildRequest('/login', { form: { email, password } }),
  )
  expect(response.status).toBe(302)
  return cookieFrom(response)
}

/** Registers through the form, as the attacker of the issue did; returns the session cookie. */
async function registerResearcher(orgId: string, email = 'attacker@example.com') {
  const response = await run(
    registerRoute.action,
    buildRequest('/register', {
      form: {
        role: 'researcher',
        displayName: '冒充者',
        email,
        password: PASSWORD,
        confirmPassword: PASSWORD,
        orgId,
        acceptTerms: 'on',
      },
    }),
  )
  expect(response.status).toBe(302)
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } })
  return { id: user.id, cookie: cookieFrom(response) }
}

/** A university with an admitting member, a published result and an expert profile. */
async function universityWithListings() {
  const university = await createTestOrganization({ kind: 'university', name: '西安测试大学' })
  const admitter = await createTestUser({
    role: 'researcher',
    orgId: university.id,
    canAdmit: true,
    displayName: '科研处王老师',
  })
  const now = new Date()
  const result = await prisma.result.create({
    data: {
      title: '宽禁带半导体功率器件封装技术',
      summary: '采用银烧结与铜夹片互连，热阻降低 30%，已在车载逆变器上完成 2000 小时可靠性验证。',
      fieldCode: '102',
      trl: 7,
      transferModes: ['license'],
      orgId: university.id,
      status: 'published',
      publishedAt: now,
      confirmedAt: now,
      expiresAt: new Date(now.getTime() + 180 * 86_400_000),
    },
    select: { id: true },
  })
  const expert = await prisma.expert.create({
    data: {
      name: '赵教授',
      title: '教授',
      orgId: university.id,
      fields: ['102'],
      keywords: ['功率器件'],
      bio: '长期从事功率半导体封装研究。',
    },
    select: { id: true, updatedAt: true },
  })
  return { university, admitter, result, expert }
}

const expertEdit = (updatedAt: Date) => ({
  name: '赵教授',
  title: '教授',
  fields: '102',
  keywords: '功率器件',
  bio: '此人学术不端（被冒充者篡改）',
  updatedAt: updatedAt.toISOString(),
})

const draftForm = {
  title: '碳化硅衬底激光剥离技术',
  summary: '激光隐切配合低温剥离，单片衬底损耗由 180 微米降到 60 微米，适用于 6 英寸晶圆。',
  fieldCode: '102',
  keywords: '碳化硅，激光剥离',
  trl: '4',
  transferModes: ['license'],
}

async function withdraw(cookie: string | null, resultId: string) {
  return run(
    resultRoute.action,
    buildRequest(`/results/${resultId}`, { cookie, form: { intent: 'withdraw' } }),
    { resultId },
  )
}

async function editExpert(cookie: string | null, expertId: string, updatedAt: Date) {
  return run(
    editExpertRoute.action,
    buildRequest(`/experts/${expertId}/edit`, { cookie, form: expertEdit(updatedAt) }),
    { expertId },
  )
}

async function decide(cookie: string | null, form: Record<string, string>) {
  return run(membersRoute.action, buildRequest('/org/members', { cookie, form }))
}

describe('membership is granted, not claimed', () => {
  test('a new researcher of a university cannot withdraw its result or rewrite its expert', async () => {
    const { university, result, expert } = await universityWithListings()
    const attacker = await registerResearcher(university.id)

    // The public page of the university's result offers them no owner's buttons.
    const detail = await run(
      resultRoute.loader,
      buildRequest(`/results/${result.id}`, { cookie: attacker.cookie }),
      { resultId: result.id },
    )
    expect(((await detail.json()) as { isOwner: boolean }).isOwner).toBe(false)

    const withdrawn = await withdraw(attacker.cookie, result.id)
    expect(withdrawn.status).toBe(409)
    expect(JSON.stringify(await withdrawn.json())).toContain('申请尚在审核中')
    expect(
      (
        await prisma.result.findUniqueOrThrow({
          where: { id: result.id },
          select: { status: true },
        })
      ).status,
    ).toBe('published')

    const rewritten = await editExpert(attacker.cookie, expert.id, expert.updatedAt)
    expect(rewritten.status).toBe(404)
    expect(
      (await prisma.expert.findUniqueOrThrow({ where: { id: expert.id }, select: { bio: true } }))
        .bio,
    ).toBe('长期从事功率半导体封装研究。')

    // The edit page of the organization's result is closed to them too.
    const editPage = await run(
      editResultRoute.loader,
      buildRequest(`/results/${result.id}/edit`, { cookie: attacker.cookie }),
      { resultId: result.id },
    )
    expect(editPage.status).toBe(404)
  })

  test('a pending member prepares drafts of their own but reads no other private listing', async () => {
    const { university, admitter } = await universityWithListings()
    const colleagueCookie = await signIn(admitter.email)
    const colleagueDraft = await run(
      newResultRoute.action,
      buildRequest('/results/new', { cookie: colleagueCookie, form: draftForm }),
    )
    const colleagueDraftId = colleagueDraft.headers.get('Location')!.split('/').at(-1)!
    const pending = await registerResearcher(university.id)

    const created = await run(
      newResultRoute.action,
      buildRequest('/results/new', { cookie: pending.cookie, form: draftForm }),
    )
    expect(created.status).toBe(302)
    const draftId = created.headers.get('Location')!.split('/').at(-1)!
    expect(
      await prisma.result.findUniqueOrThrow({
        where: { id: draftId },
        select: { createdById: true, orgId: true, status: true },
      }),
    ).toEqual({ createdById: pending.id, orgId: university.id, status: 'draft' })

    // Their own draft opens and can be edited, but not submitted for review yet.
    const ownEdit = await run(
      editResultRoute.loader,
      buildRequest(`/results/${draftId}/edit`, { cookie: pending.cookie }),
      { resultId: draftId },
    )
    expect(ownEdit.status).toBe(200)
    const submitted = await run(
      resultRoute.action,
      buildRequest(`/results/${draftId}`, { cookie: pending.cookie, form: { intent: 'submit' } }),
      { resultId: draftId },
    )
    expect(submitted.status).toBe(409)

    // A colleague's unpublished draft stays invisible, in the list and by its address.
    const mine = await run(
      myListingsRoute.loader,
      buildRequest('/my/listings', { cookie: pending.cookie }),
    )
    const listed = ((await mine.json()) as { listings: { id: string }[] }).listings
    expect(listed.map((listing) => listing.id)).toEqual([draftId])
    const colleagues = await run(
      resultRoute.loader,
      buildRequest(`/results/${colleagueDraftId}`, { cookie: pending.cookie }),
      { resultId: colleagueDraftId },
    )
    expect(colleagues.status).toBe(404)
    // Nor does the workbench show the organization's unpublished work to them.
    const workbench = async (cookie: string | null) =>
      (
        (await (
          await run(workbenchRoute.loader, buildRequest('/workbench', { cookie }))
        ).json()) as {
          orgActivity: unknown
        }
      ).orgActivity
    expect(await workbench(pending.cookie)).toBeNull()
    expect(await workbench(colleagueCookie)).not.toBeNull()
  })

  test('approvers are notified at once; after approval the member can act for the organization', async () => {
    const { university, admitter, result, expert } = await universityWithListings()
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await listener.connect()
    const events: unknown[] = []
    listener.on('notification', (message) => events.push(JSON.parse(message.payload ?? 'null')))
    await listener.query(`LISTEN ${MARKET_EVENTS_CHANNEL}`)
    const applicant = await registerResearcher(university.id, 'new.member@example.com')

    const notification = await prisma.notification.findFirstOrThrow({
      where: { userId: admitter.id },
      select: { id: true, kind: true, title: true, link: true },
    })
    expect(notification).toMatchObject({ kind: 'membership_requested', link: '/org/members' })
    expect(notification.title).toContain('西安测试大学')
    await expect
      .poll(() => events, { timeout: 5000 })
      .toContainEqual({
        type: 'notification:new',
        room: { userId: admitter.id },
        payload: { id: notification.id, title: notification.title, link: '/org/members' },
      })
    await listener.end()

    const admitterCookie = await signIn(admitter.email)
    // The header offers the approver the way to the request.
    const root = await run(rootLoader, buildRequest('/', { cookie: admitterCookie }))
    expect(((await root.json()) as { user: { pendingMemberRequests: number } }).user).toMatchObject(
      { pendingMemberRequests: 1 },
    )
    const page = await run(
      membersRoute.loader,
      buildRequest('/org/members', { cookie: admitterCookie }),
    )
    const listed = (await page.json()) as { requests: { id: string; org: { name: string } }[] }
    expect(listed.requests).toEqual([expect.objectContaining({ id: applicant.id })])

    const approved = await decide(admitterCookie, { intent: 'approve', userId: applicant.id })
    expect(approved.status).toBe(302)
    expect(
      await prisma.user.findUniqueOrThrow({
        where: { id: applicant.id },
        select: { membership: true, canAdmit: true, admittedById: true },
      }),
    ).toEqual({ membership: 'active', canAdmit: false, admittedById: admitter.id })
    expect(
      await prisma.notification.findFirstOrThrow({
        where: { userId: applicant.id },
        select: { kind: true, title: true },
      }),
    ).toEqual({ kind: 'membership_approved', title: '您加入“西安测试大学”的申请已通过' })

    // The same session now acts for the university.
    expect((await editExpert(applicant.cookie, expert.id, expert.updatedAt)).status).toBe(302)
    expect((await withdraw(applicant.cookie, result.id)).status).toBe(302)
    expect(
      (
        await prisma.result.findUniqueOrThrow({
          where: { id: result.id },
          select: { status: true },
        })
      ).status,
    ).toBe('withdrawn')
  })

  test('only admitting members of that organization and platform staff decide', async () => {
    const { university, admitter } = await universityWithListings()
    const applicant = await registerResearcher(university.id)
    const member = await createTestUser({ role: 'researcher', orgId: university.id })
    const otherUniversity = await createTestOrganization({ kind: 'university' })
    const foreignAdmitter = await createTestUser({
      role: 'researcher',
      orgId: otherUniversity.id,
      canAdmit: true,
    })

    // A member without the right to admit: no page, no decision.
    const memberCookie = await signIn(member.email)
    expect(
      (await run(membersRoute.loader, buildRequest('/org/members', { cookie: memberCookie })))
        .status,
    ).toBe(403)
    expect((await decide(memberCookie, { intent: 'approve', userId: applicant.id })).status).toBe(
      403,
    )
    // An admitting member of another university sees nothing to decide and decides nothing.
    const foreignCookie = await signIn(foreignAdmitter.email)
    const foreignPage = await run(
      membersRoute.loader,
      buildRequest('/org/members', { cookie: foreignCookie }),
    )
    expect(((await foreignPage.json()) as { requests: unknown[] }).requests).toEqual([])
    expect((await decide(foreignCookie, { intent: 'approve', userId: applicant.id })).status).toBe(
      409,
    )
    // A pending member cannot approve anyone, themselves included.
    expect(
      (await decide(applicant.cookie, { intent: 'approve', userId: applicant.id })).status,
    ).toBe(403)
    // A made-up id is a clear 400, not a crash.
    expect(
      (await decide(await signIn(admitter.email), { intent: 'approve', userId: 'x\u0000' })).status,
    ).toBe(400)
    expect(
      (
        await prisma.user.findUniqueOrThrow({
          where: { id: applicant.id },
          select: { membership: true },
        })
      ).membership,
    ).toBe('pending')

    // Platform staff decide for any organization, and may grant the right to admit.
    const broker = await createTestUser({ role: 'broker' })
    const brokerCookie = await signIn(broker.email)
    const staffPage = await run(
      membersRoute.loader,
      buildRequest('/org/members', { cookie: brokerCookie }),
    )
    expect(((await staffPage.json()) as { requests: { id: string }[] }).requests).toEqual([
      expect.objectContaining({ id: applicant.id }),
    ])
    expect(
      (await decide(brokerCookie, { intent: 'approve', userId: applicant.id, grantAdmit: 'on' }))
        .status,
    ).toBe(302)
    expect(
      await prisma.user.findUniqueOrThrow({
        where: { id: applicant.id },
        select: { membership: true, canAdmit: true },
      }),
    ).toEqual({ membership: 'active', canAdmit: true })
    // A second decision on the same request is refused.
    expect((await decide(brokerCookie, { intent: 'refuse', userId: applicant.id })).status).toBe(
      409,
    )
  })

  test('an admitting member grants the right to admit to another member', async () => {
    const { university, admitter } = await universityWithListings()
    const member = await createTestUser({ role: 'researcher', orgId: university.id })
    const cookie = await signIn(admitter.email)
    const page = await run(membersRoute.loader, buildRequest('/org/members', { cookie }))
    const { members } = (await page.json()) as { members: { id: string; canAdmit: boolean }[] }
    expect(members).toContainEqual(expect.objectContaining({ id: member.id, canAdmit: false }))
    expect((await decide(cookie, { intent: 'grant', userId: member.id })).status).toBe(302)
    expect(
      (
        await prisma.user.findUniqueOrThrow({
          where: { id: member.id },
          select: { canAdmit: true },
        })
      ).canAdmit,
    ).toBe(true)
  })

  test('a refused applicant leaves the organization, and what they prepared goes too', async () => {
    const { university, admitter } = await universityWithListings()
    const applicant = await registerResearcher(university.id)
    const draft = await run(
      newResultRoute.action,
      buildRequest('/results/new', { cookie: applicant.cookie, form: draftForm }),
    )
    expect(draft.status).toBe(302)
    const expert = await run(
      newExpertRoute.action,
      buildRequest('/experts/new', {
        cookie: applicant.cookie,
        form: { name: '冒充者', fields: '102', keywords: '封装', linkToSelf: 'on' },
      }),
    )
    expect(expert.status).toBe(302)
    const expertId = expert.headers.get('Location')!.split('/').at(-1)!

    // Until admitted, the profile speaks for nobody: not in the list, not at its address.
    const list = await run(expertsIndexRoute.loader, buildRequest('/experts'))
    expect(JSON.stringify(await list.json())).not.toContain(expertId)
    expect(
      (await run(expertRoute.loader, buildRequest(`/experts/${expertId}`), { expertId })).status,
    ).toBe(404)
    expect(
      (
        await run(
          expertRoute.loader,
          buildRequest(`/experts/${expertId}`, { cookie: applicant.cookie }),
          {
            expertId,
          },
        )
      ).status,
    ).toBe(200)

    const refused = await decide(await signIn(admitter.email), {
      intent: 'refuse',
      userId: applicant.id,
      reason: '本校无此人',
    })
    expect(refused.status).toBe(302)
    expect(
      await prisma.user.findUniqueOrThrow({
        where: { id: applicant.id },
        select: { orgId: true, membership: true },
      }),
    ).toEqual({ orgId: null, membership: null })
    expect(await prisma.result.count({ where: { createdById: applicant.id } })).toBe(0)
    expect(await prisma.expert.count({ where: { id: expertId } })).toBe(0)
    expect(
      await prisma.notification.findFirstOrThrow({
        where: { userId: applicant.id },
        select: { kind: true, body: true },
      }),
    ).toEqual({ kind: 'membership_refused', body: '本校无此人' })
  })

  test('approval makes the profiles a member prepared public', async () => {
    const { university, admitter } = await universityWithListings()
    const applicant = await registerResearcher(university.id)
    const created = await run(
      newExpertRoute.action,
      buildRequest('/experts/new', {
        cookie: applicant.cookie,
        form: { name: '新成员', fields: '102', keywords: '封装' },
      }),
    )
    const expertId = created.headers.get('Location')!.split('/').at(-1)!
    await decide(await signIn(admitter.email), { intent: 'approve', userId: applicant.id })
    expect(
      (await run(expertRoute.loader, buildRequest(`/experts/${expertId}`), { expertId })).status,
    ).toBe(200)
    expect(
      await prisma.searchOutbox.count({ where: { entity: 'expert', entityId: expertId } }),
    ).toBeGreaterThanOrEqual(2)
  })
})

describe('enterprises', () => {
  const enterpriseForm = {
    role: 'enterprise',
    displayName: '刘工',
    email: 'liu@qinchuan-motor.cn',
    password: PASSWORD,
    confirmPassword: PASSWORD,
    orgName: '陕西秦川电机有限公司',
    acceptTerms: 'on',
  }

  test('registering an enterprise that is already listed offers to join it, and joining waits', async () => {
    const existing = await prisma.organization.create({
      data: {
        name: '陕西秦川电机有限公司',
        kind: 'enterprise',
        regionCode: '610113',
        creditCode: completeCreditCode('91610113MA6TQC01'),
      },
      select: { id: true },
    })
    const founder = await createTestUser({ role: 'enterprise', orgId: existing.id, canAdmit: true })

    const taken = await run(
      registerRoute.action,
      buildRequest('/register', {
        form: {
          ...enterpriseForm,
          enterpriseMode: 'create',
          creditCode: completeCreditCode('91610113MA6TQC02'),
          regionCode: '610113',
        },
      }),
    )
    expect(taken.status).toBe(400)
    const reply = (await taken.json()) as { error: Record<string, string[]> }
    expect(reply.error.orgName?.[0]).toContain('申请加入已登记的企业')

    const unknown = await run(
      registerRoute.action,
      buildRequest('/register', {
        form: { ...enterpriseForm, enterpriseMode: 'join', orgName: '不存在的企业有限公司' },
      }),
    )
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(await unknown.json())).toContain('平台上没有登记这家企业')

    const joined = await run(
      registerRoute.action,
      buildRequest('/register', { form: { ...enterpriseForm, enterpriseMode: 'join' } }),
    )
    expect(joined.status).toBe(302)
    expect(
      await prisma.user.findUniqueOrThrow({
        where: { email: enterpriseForm.email },
        select: { orgId: true, membership: true, canAdmit: true },
      }),
    ).toEqual({ orgId: existing.id, membership: 'pending', canAdmit: false })
    expect(await prisma.notification.count({ where: { userId: founder.id } })).toBe(1)
    expect(await prisma.organization.count({ where: { name: enterpriseForm.orgName } })).toBe(1)
  })

  test('a university nobody has joined yet sends the request to the platform admins', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const admin = await createTestUser({ role: 'admin' })
    await registerResearcher(university.id)
    expect(
      await prisma.notification.findFirst({
        where: { userId: admin.id },
        select: { kind: true },
      }),
    ).toEqual({ kind: 'membership_requested' })
  })
})
