import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { completeCreditCode } from '~/domain/credit-code'
import { loader as rootLoader } from '~/root'
import * as accountRoute from '~/routes/account'
import * as bureauRoute from '~/routes/bureau._index'
import * as loginRoute from '~/routes/login'
import * as logoutRoute from '~/routes/logout'
import * as registerRoute from '~/routes/register'
import * as resultRoute from '~/routes/results.$resultId'
import * as workbenchRoute from '~/routes/workbench'
import { prisma } from '~/utils/db.server'

import {
  buildRequest,
  cookieFrom,
  createTestOrganization,
  createTestUser,
  run,
  TEST_PASSWORD,
  testContext,
} from '../setup/remix'

const validEnterprise = {
  role: 'enterprise',
  displayName: '陈经理',
  email: 'chen@qinling-materials.cn',
  password: 'Secret123',
  confirmPassword: 'Secret123',
  orgName: '陕西秦岭新材料股份有限公司',
  creditCode: completeCreditCode('91610131MA6TXY01'),
  regionCode: '610113',
  acceptTerms: 'on',
}

async function login(email: string, password = TEST_PASSWORD) {
  const response = await run(
    loginRoute.action,
    buildRequest('/login', { form: { email, password } }),
  )
  return { response, cookie: cookieFrom(response) }
}

/** A login posted from `ip`, as the HTTP server would pass it in the load context. */
async function loginFrom(ip: string, email: string, password: string) {
  const request = buildRequest('/login', { form: { email, password } })
  try {
    return (await loginRoute.action({
      request,
      params: {},
      context: { ...testContext, clientIp: ip },
    })) as Response
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

/** Moves every counter's last failure `seconds` into the past, as if that much time went by. */
async function letTimePass(seconds: number) {
  await prisma.$executeRaw`
    UPDATE "RateLimitCounter" SET "updatedAt" = "updatedAt" - make_interval(secs => ${seconds})`
}

async function currentUser(cookie: string | null) {
  const response = await run(rootLoader, buildRequest('/', { cookie }))
  return ((await response.json()) as { user: { email: string } | null }).user
}

describe('registration', () => {
  test('an enterprise registers its organization and is signed in', async () => {
    const response = await run(
      registerRoute.action,
      buildRequest('/register', { form: validEnterprise }),
    )
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/workbench')
    const cookie = cookieFrom(response)
    expect(response.headers.get('Set-Cookie')).toMatch(/HttpOnly/i)
    expect(response.headers.get('Set-Cookie')).toMatch(/SameSite=Lax/i)
    expect((await currentUser(cookie))?.email).toBe(validEnterprise.email)
    const org = await prisma.organization.findUniqueOrThrow({
      where: { name: validEnterprise.orgName },
      select: { kind: true, regionCode: true, users: { select: { role: true } } },
    })
    expect(org).toEqual({
      kind: 'enterprise',
      regionCode: '610113',
      users: [{ role: 'enterprise' }],
    })
  })

  test('a researcher asks to join an existing institute, never an enterprise', async () => {
    const institute = await createTestOrganization({ kind: 'institute' })
    const enterprise = await createTestOrganization({ kind: 'enterprise' })
    const form = { ...validEnterprise, role: 'researcher', email: 'li@xjtu.edu.cn' }
    const refused = await run(
      registerRoute.action,
      buildRequest('/register', { form: { ...form, orgId: enterprise.id } }),
    )
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain('请选择列表中的高校或科研院所')

    const accepted = await run(
      registerRoute.action,
      buildRequest('/register', { form: { ...form, orgId: institute.id } }),
    )
    expect(accepted.status).toBe(302)
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: form.email },
      select: { orgId: true, role: true, membership: true, canAdmit: true },
    })
    // Asked, not granted: the membership waits for an admitting member or platform staff.
    expect(user).toEqual({
      orgId: institute.id,
      role: 'researcher',
      membership: 'pending',
      canAdmit: false,
    })
  })

  test('registration needs consent to the terms, and records when it was given', async () => {
    const { acceptTerms: _omitted, ...withoutConsent } = validEnterprise
    const refused = await run(
      registerRoute.action,
      buildRequest('/register', { form: withoutConsent }),
    )
    expect(refused.status).toBe(400)
    const reply = (await refused.json()) as { error: Record<string, string[]> }
    expect(reply.error.acceptTerms).toEqual(['请阅读并同意《服务条款与隐私政策》'])
    expect(await prisma.user.count()).toBe(0)

    const before = Date.now()
    const accepted = await run(
      registerRoute.action,
      buildRequest('/register', { form: validEnterprise }),
    )
    expect(accepted.status).toBe(302)
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: validEnterprise.email },
      select: { termsAcceptedAt: true, membership: true, canAdmit: true },
    })
    expect(user.termsAcceptedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    // Whoever registers a new enterprise is its first member and admits the next ones.
    expect(user).toMatchObject({ membership: 'active', canAdmit: true })
  })

  test('a duplicate email is refused with the field named, and nothing is half-written', async () => {
    await createTestUser({ email: validEnterprise.email })
    const response = await run(
      registerRoute.action,
      buildRequest('/register', { form: validEnterprise }),
    )
    expect(response.status).toBe(400)
    const reply = (await response.json()) as {
      error: Record<string, string[]>
      initialValue: Record<string, string>
    }
    expect(reply.error.email).toEqual(['该邮箱已注册，请直接登录'])
    // The form comes back filled in, except for the passwords.
    expect(reply.initialValue.orgName).toBe(validEnterprise.orgName)
    expect(reply.initialValue.password).toBeUndefined()
    expect(await prisma.organization.count({ where: { name: validEnterprise.orgName } })).toBe(0)
  })

  test.each([
    ['email', { email: 'not-an-email' }, '邮箱格式不正确'],
    ['displayName', { displayName: '长'.repeat(51) }, '姓名不能超过 50 个字符'],
    ['password', { password: 'short1', confirmPassword: 'short1' }, '密码至少 8 个字符'],
    ['confirmPassword', { confirmPassword: 'Different123' }, '两次输入的密码不一致'],
    ['creditCode', { creditCode: '91610131MA6TXY0100' }, '统一社会信用代码校验位不正确'],
    ['orgName', { orgName: '企'.repeat(101) }, '单位名称不能超过 100 个字符'],
    ['regionCode', { regionCode: 'xian' }, '区县代码应为 6 位数字'],
  ])('bad %s is refused in Chinese', async (field, change, message) => {
    const response = await run(
      registerRoute.action,
      buildRequest('/register', { form: { ...validEnterprise, ...change } }),
    )
    expect(response.status).toBe(400)
    const reply = (await response.json()) as { error: Record<string, string[]> }
    expect(reply.error[field]).toContain(message)
    expect(await prisma.user.count()).toBe(0)
  })

  test('random form submissions get a 4xx or a redirect, never a crash, and never a partial write', async () => {
    const formValue = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.constantFrom('', 'researcher', 'enterprise', '610113', '名\u0000字'),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            role: formValue,
            displayName: formValue,
            email: fc.oneof(fc.emailAddress(), formValue),
            password: formValue,
            confirmPassword: formValue,
            orgName: formValue,
            creditCode: fc.oneof(formValue, fc.constant(completeCreditCode('91610131MA6TXY02'))),
            regionCode: formValue,
            orgId: formValue,
            enterpriseMode: fc.oneof(formValue, fc.constantFrom('create', 'join')),
            acceptTerms: fc.oneof(formValue, fc.constant('on')),
          },
          { requiredKeys: [] },
        ),
        async (form) => {
          const [usersBefore, orgsBefore] = await Promise.all([
            prisma.user.count(),
            prisma.organization.count(),
          ])
          const response = await run(registerRoute.action, buildRequest('/register', { form }))
          const [usersAfter, orgsAfter] = await Promise.all([
            prisma.user.count(),
            prisma.organization.count(),
          ])
          if (response.status === 302) {
            expect(usersAfter).toBe(usersBefore + 1)
          } else {
            expect(response.status).toBeGreaterThanOrEqual(400)
            expect(response.status).toBeLessThan(500)
            expect(usersAfter).toBe(usersBefore)
            expect(orgsAfter).toBe(orgsBefore)
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('login and sessions', () => {
  test('a wrong password gets a Chinese message and no cookie; the right one signs in', async () => {
    const user = await createTestUser()
    const wrong = await login(user.email, 'wrong-password1')
    expect(wrong.response.status).toBe(400)
    expect(JSON.stringify(await wrong.response.json())).toContain('邮箱或密码不正确')
    expect(wrong.cookie).toBeNull()

    const right = await login(user.email.toUpperCase())
    expect(right.response.status).toBe(302)
    expect((await currentUser(right.cookie))?.email).toBe(user.email)
  })

  test('login returns to the page the visitor came from, but never off-site', async () => {
    const user = await createTestUser()
    const loginTo = async (redirectTo: string) =>
      (
        await run(
          loginRoute.action,
          buildRequest('/login', {
            form: { email: user.email, password: TEST_PASSWORD, redirectTo },
          }),
        )
      ).headers.get('Location')
    expect(await loginTo('/account')).toBe('/account')
    expect(await loginTo('/results?field=80#list')).toBe('/results?field=80#list')
    for (const hostile of [
      '//evil.example',
      '/\\evil.example/phish',
      '/\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/.//evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ]) {
      expect(await loginTo(hostile), hostile).toBe('/')
    }
  })

  test('the owner buttons return to a same-origin page only', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const owner = await createTestUser({ role: 'researcher', orgId: university.id })
    const { cookie } = await login(owner.email)
    const now = new Date()
    const result = await prisma.result.create({
      data: {
        title: '低温等离子体灭菌装置',
        summary: '常压低温等离子体对医疗器械灭菌，处理时间 8 分钟，无化学残留。',
        fieldCode: '301',
        trl: 6,
        orgId: university.id,
        status: 'published',
        publishedAt: now,
        confirmedAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
      },
      select: { id: true },
    })
    const press = async (redirectTo: string) =>
      (
        await run(
          resultRoute.action,
          buildRequest(`/results/${result.id}`, {
            cookie,
            form: { intent: 'reconfirm', redirectTo },
          }),
          { resultId: result.id },
        )
      ).headers.get('Location')
    expect(await press('/my/listings')).toBe('/my/listings')
    for (const hostile of ['/\\evil.example/phish', '/\t/evil.example', '//evil.example']) {
      expect(await press(hostile), hostile).toBe(`/results/${result.id}`)
    }
  })

  test('the login page only puts a same-origin path back into its form', async () => {
    const hostile = await run(
      loginRoute.loader,
      buildRequest('/login?redirectTo=%2F%5Cevil.example%2Fphish'),
    )
    expect(await hostile.json()).toEqual({ redirectTo: '' })
    const fine = await run(loginRoute.loader, buildRequest('/login?redirectTo=%2Faccount'))
    expect(await fine.json()).toEqual({ redirectTo: '/account' })
  })

  test('a revoked session no longer signs anyone in, and its cookie is cleared', async () => {
    const user = await createTestUser()
    const { cookie } = await login(user.email)
    await prisma.session.deleteMany({ where: { userId: user.id } })
    expect(await currentUser(cookie)).toBeNull()
    const response = await run(accountRoute.loader, buildRequest('/account', { cookie }))
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Faccount')
    expect(response.headers.get('Set-Cookie')).toMatch(/Expires=Thu, 01 Jan 1970/)
  })

  test('a forged cookie is treated as a visitor', async () => {
    const user = await createTestUser()
    const { cookie } = await login(user.email)
    const [name, value] = cookie!.split('=') as [string, string]
    const session = await prisma.session.findFirstOrThrow({
      where: { userId: user.id },
      select: { id: true },
    })
    // Same session id, but signed with a secret the server does not know.
    const forged = `${name}=${encodeURIComponent(btoa(JSON.stringify({ sessionId: session.id })))}.AAAA`
    expect(value).not.toBe(forged.split('=')[1])
    expect(await currentUser(forged)).toBeNull()
  })

  test('failures from one address make the next attempt wait longer and longer (Retry-After)', async () => {
    const user = await createTestUser()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await loginFrom('198.51.100.7', user.email, 'wrong-password1')).status)
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400])
    const waits: number[] = []
    for (let round = 0; round < 3; round++) {
      const blocked = await loginFrom('198.51.100.7', user.email, 'wrong-password1')
      expect(blocked.status).toBe(429)
      expect(JSON.stringify(await blocked.json())).toContain('登录尝试过于频繁')
      waits.push(Number(blocked.headers.get('Retry-After')))
      await letTimePass(waits.at(-1)!)
      expect((await loginFrom('198.51.100.7', user.email, 'wrong-password1')).status).toBe(400)
    }
    expect(waits).toEqual([2, 4, 8])
    // While waiting, even the right password waits, but only on this address.
    expect((await loginFrom('198.51.100.7', user.email, TEST_PASSWORD)).status).toBe(429)
    expect((await loginFrom('203.0.113.1', user.email, TEST_PASSWORD)).status).toBe(302)
  })

  test('a stranger guessing from many addresses cannot lock the owner out', async () => {
    const owner = await createTestUser()
    for (let address = 1; address <= 3; address++) {
      for (let attempt = 0; attempt < 7; attempt++) {
        await loginFrom(`192.0.2.${address}`, owner.email, `guess-${attempt}-pw`)
      }
    }
    // Before the fix, ten failures from anywhere locked the account for everybody.
    const fresh = await loginFrom('203.0.113.77', owner.email, TEST_PASSWORD)
    expect(fresh.status).toBe(302)
  })

  test('successful logins never count towards any limit', async () => {
    const user = await createTestUser()
    // More than the old per-account (10) and per-address (20) windows allowed.
    for (let login = 0; login < 22; login++) {
      expect((await loginFrom('198.51.100.8', user.email, TEST_PASSWORD)).status).toBe(302)
    }
  })

  test('logout deletes the session row', async () => {
    const user = await createTestUser()
    const { cookie } = await login(user.email)
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1)
    const response = await run(
      logoutRoute.action,
      buildRequest('/logout', { method: 'POST', cookie }),
    )
    expect(response.status).toBe(302)
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
    expect(await currentUser(cookie)).toBeNull()
  })

  test('changing the password signs out every other session', async () => {
    const user = await createTestUser()
    const laptop = await login(user.email)
    const phone = await login(user.email)
    const wrong = await run(
      accountRoute.action,
      buildRequest('/account', {
        cookie: laptop.cookie,
        form: {
          currentPassword: 'nope-1234',
          newPassword: 'NewSecret456',
          confirmPassword: 'NewSecret456',
        },
      }),
    )
    expect(wrong.status).toBe(400)
    expect(JSON.stringify(await wrong.json())).toContain('当前密码不正确')

    const changed = await run(
      accountRoute.action,
      buildRequest('/account', {
        cookie: laptop.cookie,
        form: {
          currentPassword: TEST_PASSWORD,
          newPassword: 'NewSecret456',
          confirmPassword: 'NewSecret456',
        },
      }),
    )
    expect(changed.status).toBe(302)
    expect(await currentUser(laptop.cookie)).not.toBeNull()
    expect(await currentUser(phone.cookie)).toBeNull()
    expect((await login(user.email, 'NewSecret456')).response.status).toBe(302)
  })
})

describe('roles', () => {
  test('a visitor is sent to login, a researcher gets 403 on bureau pages, the bureau gets in', async () => {
    const visitor = await run(bureauRoute.loader, buildRequest('/bureau'))
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toBe('/login?redirectTo=%2Fbureau')

    const org = await createTestOrganization({ kind: 'university' })
    const researcher = await createTestUser({ role: 'researcher', orgId: org.id })
    const researcherCookie = (await login(researcher.email)).cookie
    const forbidden = await run(
      bureauRoute.loader,
      buildRequest('/bureau', { cookie: researcherCookie }),
    )
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toContain('没有访问此页面的权限')
    expect(
      (await run(workbenchRoute.loader, buildRequest('/workbench', { cookie: researcherCookie })))
        .status,
    ).toBe(200)

    const bureau = await createTestUser({ role: 'bureau' })
    const bureauCookie = (await login(bureau.email)).cookie
    const allowed = await run(bureauRoute.loader, buildRequest('/bureau', { cookie: bureauCookie }))
    expect(allowed.status).toBe(200)
    expect(
      (await run(workbenchRoute.loader, buildRequest('/workbench', { cookie: bureauCookie })))
        .status,
    ).toBe(403)
  })
})
