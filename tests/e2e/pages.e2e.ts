import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

const PHONE = { width: 390, height: 844 }

describe.skipIf(!chromiumPath)('what a person sees', () => {
  const market = useMarketInBrowser()

  async function openPage(
    options: { email?: string; viewport?: typeof PHONE; javaScriptEnabled?: boolean } = {},
  ): Promise<Page> {
    const page = await market.newPage({
      viewport: options.viewport ?? { width: 1366, height: 900 },
      javaScriptEnabled: options.javaScriptEnabled ?? true,
    })
    if (options.email) await logIn(page, options.email)
    return page
  }

  const pathAndQuery = (page: Page) => {
    const url = new URL(page.url())
    return `${url.pathname}${url.search}`
  }

  test('at phone width the public lists fit the screen and every page has the footer', async () => {
    const page = await openPage({ viewport: PHONE })
    for (const path of ['/results', '/needs', '/experts', '/no-such-page']) {
      await page.goto(path)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect([path, overflow]).toEqual([path, 0])
      const footer = page.getByRole('contentinfo')
      expect(await footer.innerText()).toContain('运营单位：西安科技大市场服务中心')
      expect(await footer.getByRole('link', { name: '服务条款与隐私政策' }).count()).toBe(1)
      await expectAccessible(page)
    }
  })

  test('a whole field can be chosen, and the address keeps only the chosen filters', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await openPage({ javaScriptEnabled })
      await page.goto('/results')
      await page.getByLabel('技术领域').selectOption({ label: '电子信息（全部）' })
      await page.getByRole('button', { name: '筛选' }).click()
      await page.waitForURL((url) => url.search === '?field=10')
      expect(await page.getByLabel('技术领域').inputValue()).toBe('10')
      // Names, not codes: no option and no listing shows a field code.
      const options = await page.getByLabel('技术领域').locator('option').allTextContents()
      expect(options.filter((text) => /\d/.test(text))).toEqual([])
      expect(await page.locator('.results-list').innerText()).not.toMatch(/（\d{2,3}）/)
      // axe runs inside the page, so it needs JavaScript; the markup is the same either way.
      if (javaScriptEnabled) await expectAccessible(page)

      await page.goto('/experts')
      await page.getByLabel('技术领域').selectOption({ label: '先进制造与自动化（全部）' })
      await page.getByRole('button', { name: '筛选' }).click()
      await page.waitForURL((url) => url.search === '?field=80')
      await page.context().close()
    }
  })

  test('pages are numbered, and a page past the end lands on the last page with its filters', async () => {
    const page = await openPage()
    await page.goto('/results?field=&page=999')
    expect(pathAndQuery(page)).toMatch(/^\/results\?page=\d+$/)
    const last = Number(new URL(page.url()).searchParams.get('page'))
    expect(last).toBeGreaterThan(2)
    const pager = page.getByRole('navigation', { name: '分页' })
    expect(await pager.locator('[aria-current="page"]').innerText()).toBe(String(last))
    expect(await page.getByText('第 999').count()).toBe(0)
    await expectAccessible(page)

    await page.goto('/results?field=80&page=99999999999999999999')
    const lastOfField = new URL(page.url()).searchParams.get('page')
    expect(pathAndQuery(page)).toBe(`/results?field=80&page=${lastOfField}`)
    await pager.getByRole('link', { name: '第 1 页' }).click()
    await page.waitForURL((url) => url.search === '?field=80')
    await pager.getByRole('link', { name: '第 2 页' }).click()
    await page.waitForURL((url) => url.search === '?field=80&page=2')
    await pager.locator('[aria-current="page"]', { hasText: /^2$/ }).waitFor()
  })

  test('the owner of a pending result can withdraw it from review, and is offered no edit', async () => {
    const page = await openPage({ email: 'researcher@demo.local' })
    await page.goto('/my/listings')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^我的成果/)
    expect(await page.title()).toBe('我的成果 · 西安科技大市场')
    const row = page.getByRole('row').filter({ hasText: '待审核' }).first()
    const title = await row.getByRole('link').first().innerText()
    expect(await row.getByRole('link', { name: /^编辑/ }).count()).toBe(0)
    expect(await row.getByRole('button', { name: /^撤回审核/ }).count()).toBe(1)
    await expectAccessible(page)

    await row.getByRole('link', { name: title }).click()
    await page.getByRole('heading', { level: 1, name: title }).waitFor()
    const panel = page.getByRole('region', { name: /本单位管理/ })
    expect(await panel.getByRole('link', { name: '编辑' }).count()).toBe(0)
    expect(await panel.innerText()).toContain('审核期间不能修改')
    // The field is named, not coded.
    const facts = page.getByRole('region', { name: '成果要素' })
    expect(await facts.innerText()).not.toMatch(/（\d{2,3}）/)
    await expectAccessible(page)
    await panel.getByRole('button', { name: '撤回审核' }).click()
    await page.getByText('已撤回审核，成果回到草稿，可修改后重新提交').waitFor()
    // Back to a draft: now it can be edited, and the edit page opens.
    await panel.getByRole('link', { name: '编辑' }).click()
    await page.getByRole('heading', { level: 1, name: '修改科技成果' }).waitFor()
  })

  test('on a phone my listings shows every row’s actions, and the expiring panel reads left to right', async () => {
    const page = await openPage({ email: 'researcher@demo.local', viewport: PHONE })
    await page.goto('/my/listings')
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBe(0)
    const actions = page.locator('tbody').getByRole('button').or(page.locator('tbody a.button'))
    expect(await actions.count()).toBeGreaterThan(3)
    for (const action of await actions.all()) {
      await action.scrollIntoViewIfNeeded()
      const box = (await action.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
    }
    const expiring = page.getByRole('region', { name: /即将过期或已过期/ })
    const panelBox = (await expiring.boundingBox())!
    for (const link of await expiring.getByRole('listitem').getByRole('link').all()) {
      // Left-aligned within the card, not centred.
      expect((await link.boundingBox())!.x - panelBox.x).toBeLessThan(40)
    }
    await expectAccessible(page)
  })

  test('the review queue asks before deciding, keeps a rejection’s reason, and names the item decided', async () => {
    const page = await openPage({ email: 'broker@demo.local' })
    await page.goto('/review')
    const items = page.getByRole('list', { name: '待审核信息' }).getByRole('listitem')
    const first = items.first()
    const title = await first.getByRole('heading').innerText()
    expect(await first.innerText()).toMatch(/提交于 \d{4}\/\d{2}\/\d{2}/)
    // One press does not decide anything: it only opens the confirmation.
    expect(await first.getByRole('button', { name: '确认通过' }).isVisible()).toBe(false)
    await first.getByText('通过…').click()
    const confirm = first.getByRole('button', { name: '确认通过' })
    await confirm.waitFor()
    expect(await first.innerText()).toContain(`通过后“${title}”将立即公开发布`)
    await expectAccessible(page)
    const confirmBox = (await confirm.boundingBox())!
    await confirm.click()
    await page.getByText(`已通过“${title}”，该科技成果已公开发布`).waitFor()
    expect(await page.getByRole('heading', { name: title }).count()).toBe(0)
    // The next item slid up; a second click at the same spot cannot approve it.
    const next = items.first()
    const nextTitle = await next.getByRole('heading').innerText()
    await page.mouse.click(
      confirmBox.x + confirmBox.width / 2,
      confirmBox.y + confirmBox.height / 2,
    )
    await page.waitForLoadState('networkidle')
    expect(await page.getByText(`已通过“${nextTitle}”`).count()).toBe(0)
    await page.goto('/review')
    expect(await items.first().getByRole('heading').innerText()).toBe(nextTitle)

    const victim = items.first()
    const victimTitle = await victim.getByRole('heading').innerText()
    await victim.getByText('驳回…').click()
    const reason = victim.getByLabel('驳回理由')
    await reason.fill('太短')
    await victim.getByRole('button', { name: '确认驳回' }).click()
    await victim.getByRole('alert').waitFor()
    expect(await reason.inputValue()).toBe('太短')
    expect(await reason.getAttribute('aria-invalid')).toBe('true')
    await expectAccessible(page)
    await reason.fill('缺少关键性能指标和第三方检测报告')
    await victim.getByRole('button', { name: '确认驳回' }).click()
    await page.getByText(`已驳回“${victimTitle}”，发布方将看到驳回理由`).waitFor()
    await expectAccessible(page)
  })
})
