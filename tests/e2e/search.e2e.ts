import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

describe.skipIf(!chromiumPath)('search and matching in a real browser', () => {
  const market = useMarketInBrowser()

  test('a visitor searches as they type, narrows by a facet, and the address keeps it all', async () => {
    const page = await market.newPage()
    await page.goto('/results')
    await expectAccessible(page)
    // The list's own search box hands the words to the search page.
    await page.getByRole('searchbox', { name: '搜索科技成果' }).fill('电池')
    await page.getByRole('searchbox', { name: '搜索科技成果' }).press('Enter')
    await page.waitForURL(/\/search\?kind=results&q=%E7%94%B5%E6%B1%A0/)
    await page.getByRole('status').filter({ hasText: '共找到' }).waitFor()
    await expectAccessible(page)

    // Typing changes the results without pressing Enter; a word inside a longer word counts.
    const box = page.getByRole('searchbox', { name: '搜索词' })
    await box.fill('锂电')
    await page.waitForURL(/q=%E9%94%82%E7%94%B5/)
    const firstTitle = page.locator('.search-hits h2').first()
    await expect.poll(() => firstTitle.innerText()).toContain('锂电')
    await page.locator('.search-hits mark').first().waitFor()

    // A facet narrows the hits and says how many there are.
    const facet = page
      .getByRole('complementary', { name: '筛选' })
      .getByRole('link')
      .filter({ hasText: '西安本地' })
    const count = Number(await facet.locator('.facets__count').innerText())
    await facet.click()
    await page.waitForURL(/local=true/)
    await expect
      .poll(async () => page.locator('.search-hits > li').count())
      .toBe(Math.min(count, 20))
    expect(new URL(page.url()).searchParams.get('q')).toBe('锂电')
    await expectAccessible(page)

    // Back to a plain form without JavaScript: the same address shows the same search.
    const plain = await market.newPage({ javaScriptEnabled: false })
    await plain.goto(page.url().replace(/^https?:\/\/[^/]+/, ''))
    expect(await plain.locator('.search-hits > li').count()).toBe(Math.min(count, 20))
  })

  test('a visitor pastes a need and sees ranked results and experts with their reasons', async () => {
    const page = await market.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto('/match')
    await expectAccessible(page)
    await page.getByRole('button', { name: '开始匹配' }).click()
    await page.getByText('请填写需求名称（title）').waitFor()
    await page.getByLabel('需求名称').fill('寻求锂电池回收技术')
    await page
      .getByLabel('需求描述')
      .fill('我公司有大量退役动力电池，希望找到高效拆解与材料回收的技术，降低回收成本。')
    await page.getByRole('button', { name: '开始匹配' }).click()
    await page.getByRole('heading', { name: '匹配结果' }).waitFor()
    const first = page.locator('.match').first()
    expect(await first.locator('.match__reasons li').first().innerText()).toContain('命中')
    await first.getByText(/匹配度 \d+%/).waitFor()
    await expectAccessible(page)
  })

  test('an enterprise posts a need, sees a matching result with its reasons, marks it interested, and the result owner hears of it live', async () => {
    // The researcher keeps a page open; their institution's published result is what the
    // enterprise will be looking for.
    const researcher = await market.newPage()
    await logIn(researcher, 'researcher@demo.local')
    await researcher.goto('/my/listings')
    const published = researcher.getByRole('row').filter({ hasText: '已发布' }).first()
    const resultTitle = await published.getByRole('link').first().innerText()
    await published.getByRole('link').first().click()
    await researcher.getByRole('heading', { level: 1, name: resultTitle }).waitFor()
    const summary = await researcher
      .getByRole('region', { name: '成果简介' })
      .locator('p')
      .first()
      .innerText()
    const fieldName = await researcher.locator('dt:text-is("技术领域") + dd').innerText()
    const countBefore = await researcher.getByTestId('notifications-link').innerText()

    const enterprise = await market.newPage({ viewport: { width: 390, height: 844 } })
    await logIn(enterprise, 'enterprise@demo.local')
    await enterprise.goto('/needs/new')
    const needTitle = `寻求${resultTitle}`
    await enterprise.getByLabel('需求名称').fill(needTitle.slice(0, 50))
    await enterprise.getByLabel('需求描述').fill(`我公司希望引进以下技术：${summary}`)
    await enterprise.getByLabel('技术领域').selectOption({ label: fieldName })
    await enterprise.getByLabel('技术服务').check()
    await enterprise.getByRole('button', { name: '保存草稿' }).click()
    await enterprise.getByRole('button', { name: '提交审核' }).click()
    await enterprise.getByText('已提交审核').waitFor()
    const needPath = new URL(enterprise.url()).pathname

    const broker = await market.newPage()
    await logIn(broker, 'broker@demo.local')
    await broker.goto('/review?kind=need&page=999')
    const item = broker.getByRole('listitem').filter({ hasText: needTitle.slice(0, 50) })
    await item.getByText('通过…').click()
    await item.getByRole('button', { name: '确认通过' }).click()
    await broker.getByText('该技术需求已公开发布').waitFor()

    // The published need lists the result with the reasons it matches.
    await enterprise.goto(needPath)
    const match = enterprise.locator('.match').filter({ hasText: resultTitle }).first()
    await match.waitFor()
    expect(await match.locator('.match__reasons li').first().innerText()).toContain('命中')
    await expectAccessible(enterprise)
    await match.getByRole('button', { name: `对“${resultTitle}”感兴趣` }).click()
    await enterprise.getByText('已标记为感兴趣，并已通知对方').waitFor()
    await match.getByText('您已表示感兴趣').waitFor()

    // The researcher's open page announces it and counts it, without a reload.
    const notice = researcher.getByRole('status').filter({ hasText: '新通知' })
    await notice.filter({ hasText: resultTitle }).waitFor()
    expect(await notice.innerText()).toContain('感兴趣')
    expect(await researcher.getByTestId('notifications-link').innerText()).not.toBe(countBefore)
    await expectAccessible(researcher)
    await researcher.getByTestId('notifications-link').click()
    await researcher.getByRole('heading', { level: 1, name: '通知' }).waitFor()
    const entry = researcher.locator('.notification--unread').filter({ hasText: '感兴趣' }).first()
    await entry.waitFor()
    await expectAccessible(researcher)
    await entry.getByRole('button', { name: /标为已读/ }).click()
    await researcher.getByText('已标为已读').waitFor()

    // A refusal asks why, and the match does not come back.
    const other = enterprise.locator('.match').filter({ hasNotText: resultTitle }).first()
    const otherTitle = await other.locator('.match__title').innerText()
    await other.getByText('不合适…').click()
    await other.getByLabel('不合适的原因').selectOption('too_early')
    await other.getByRole('button', { name: '确认不合适' }).click()
    await enterprise.getByText('已标记为不合适，这条推荐不会再出现').waitFor()
    await enterprise.reload()
    expect(await enterprise.locator('.match__title').allInnerTexts()).not.toContain(otherTitle)
  })
})
