import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, useMarketInBrowser } from './support'

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
})
