import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, test } from 'vitest'

import { completeCreditCode } from '~/domain/credit-code'

import {
  chromiumPath,
  DEMO_PASSWORD,
  expectAccessible,
  logIn as logInAs,
  useMarketInBrowser,
} from './support'

const MARKET = ['首页', '科技成果', '技术需求', '专家', '搜索', '需求匹配']

describe.skipIf(!chromiumPath)('accounts in a real browser', () => {
  const market = useMarketInBrowser()
  let page: Page

  beforeEach(async () => {
    page = await market.newPage()
  })

  async function navigationLabels() {
    return page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()
  }

  const logIn = (email: string, password?: string) => logInAs(page, email, password)

  test('the home page shows the seeded market', async () => {
    await page.goto('/')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '让科技成果在西安就地转化',
    )
    const figures = await page.getByTestId('market-figures').innerText()
    expect(figures).toContain('在线科技成果')
    const resultCount = Number(
      /(\d[\d,]*)\s*项\s*在线科技成果/.exec(figures)?.[1]?.replaceAll(',', ''),
    )
    expect(resultCount).toBeGreaterThan(100)
    expect(await page.getByRole('heading', { name: '最新科技成果' }).isVisible()).toBe(true)
    expect(await navigationLabels()).toEqual(MARKET)
    await expectAccessible(page)
  })

  test('a role chosen before the page’s script has loaded is kept when it takes over', async () => {
    // Hold the scripts back, as a slow connection would, while the visitor picks a role.
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/build/**/*.js', async (route) => {
      await released
      await route.continue()
    })
    await page.goto('/register', { waitUntil: 'domcontentloaded' })
    await page.getByLabel('科研人员（发布科技成果）').check()
    release()
    await page.getByLabel('所在高校或科研院所').waitFor()
    expect(await page.getByLabel('企业名称').count()).toBe(0)
  })

  test('an enterprise registers, lands on its workbench, and logs out', async () => {
    await page.goto('/register')
    await page.getByLabel('企业（发布技术需求）').check()
    await page.getByLabel('姓名').fill('周总')
    await page.getByLabel('邮箱').fill('zhou@e2e-enterprise.cn')
    await page.getByLabel('密码', { exact: true }).fill('Secret123')
    await page.getByLabel('确认密码').fill('Mismatch123')
    await page.getByLabel('企业名称').fill('西安端到端测试科技有限公司')
    await page.getByLabel('统一社会信用代码').fill(completeCreditCode('91610113MA6W7XB2'))
    await page.getByLabel('注册地').selectOption('610113')
    await page.getByLabel('我已阅读并同意').check()
    await page.getByRole('button', { name: '注册' }).click()

    // The mistake is named next to its field, and what was typed is still there.
    await page.getByText('两次输入的密码不一致').waitFor()
    expect(await page.getByLabel('邮箱').inputValue()).toBe('zhou@e2e-enterprise.cn')
    expect(await page.getByLabel('确认密码').getAttribute('aria-invalid')).toBe('true')
    await expectAccessible(page)

    await page.getByLabel('确认密码').fill('Secret123')
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByRole('heading', { level: 1, name: '企业工作台' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/workbench')
    expect(await page.getByTestId('current-user').innerText()).toContain('周总')
    expect(await navigationLabels()).toEqual([
      ...MARKET,
      '我的需求',
      '合同',
      '企业工作台',
      '账户设置',
    ])
    // A new enterprise has nothing yet: its workbench offers the first thing to do.
    await page.getByRole('link', { name: '发布技术需求' }).waitFor()
    await expectAccessible(page)
    await page.goto('/my/listings')
    await page.getByRole('heading', { level: 2, name: '还没有技术需求' }).waitFor()
    expect(await page.getByRole('link', { name: '发布技术需求' }).count()).toBe(1)
    await expectAccessible(page)

    await page.getByRole('button', { name: '退出登录' }).click()
    await page.getByRole('banner').getByRole('link', { name: '登录' }).waitFor()
    expect(await navigationLabels()).toEqual(MARKET)
  })

  test.each([
    [
      'enterprise@demo.local',
      [...MARKET, '我的需求', '合同', '企业工作台', '账户设置'],
      '/workbench',
      '企业工作台',
    ],
    [
      'researcher@demo.local',
      [...MARKET, '我的成果', '合同', '科研工作台', '账户设置'],
      '/workbench',
      '科研工作台',
    ],
    [
      'broker@demo.local',
      [...MARKET, '审核队列', '合同', '经纪工作台', '账户设置'],
      '/workbench',
      '经纪工作台',
    ],
    [
      'bureau@demo.local',
      [...MARKET, '审核队列', '合同', '统计监测', '账户设置'],
      '/bureau',
      '统计监测',
    ],
    [
      'admin@demo.local',
      [...MARKET, '审核队列', '统计监测', '用户管理', '账户设置'],
      '/admin/users',
      '用户管理',
    ],
  ])(
    '%s sees its role’s navigation and opens its page',
    async (email, navigation, path, heading) => {
      await logIn(email)
      expect(await navigationLabels()).toEqual(navigation)
      await page.goto(path)
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(heading)
      // One name per page: the navigation item, the heading and the browser tab agree.
      expect(await navigationLabels()).toContain(heading)
      expect(await page.title()).toBe(`${heading} · 西安科技大市场`)
      await expectAccessible(page)
    },
  )

  test('a researcher cannot open a bureau page, and a visitor is sent to login', async () => {
    const visitor = await page.goto('/bureau')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(visitor?.status()).toBe(200)

    await logIn('researcher@demo.local')
    const forbidden = await page.goto('/bureau')
    expect(forbidden?.status()).toBe(403)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('没有访问权限')
    await expectAccessible(page)
  })

  test('logging in works without JavaScript, as a plain form post', async () => {
    const context = await market.newContext({ javaScriptEnabled: false })
    const plain = await context.newPage()
    await plain.goto('/login')
    await plain.getByLabel('邮箱').fill('bureau@demo.local')
    await plain.getByLabel('密码').fill(DEMO_PASSWORD)
    await plain.getByRole('button', { name: '登录' }).click()
    await plain.getByTestId('current-user').waitFor()
    expect(await plain.getByTestId('current-user').innerText()).toContain('赵科技')
    await context.close()
  })

  test('a wrong password is refused in Chinese', async () => {
    await page.goto('/login')
    await page.getByLabel('邮箱').fill('bureau@demo.local')
    await page.getByLabel('密码').fill('wrong-password')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByText('邮箱或密码不正确').waitFor()
    expect(await page.getByLabel('邮箱').inputValue()).toBe('bureau@demo.local')
    await expectAccessible(page)
  })
})
