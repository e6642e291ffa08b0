import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

describe.skipIf(!chromiumPath)('the bureau’s statistics in a real browser', () => {
  const market = useMarketInBrowser()

  test('the dashboard follows a registration made elsewhere without a reload; a bar drills down to exactly its deals', async () => {
    const dashboard = await market.newPage()
    await logIn(dashboard, 'bureau@demo.local')
    await dashboard.goto('/bureau')
    await dashboard.locator('.echart svg').first().waitFor()
    await expectAccessible(dashboard)
    const headline = dashboard.locator('.figure').filter({ hasText: '技术合同成交额' })
    const registeredCount = async () =>
      Number(/（(\d+) 份）/.exec((await headline.innerText()).replace(/,/g, ''))?.[1])
    const before = await registeredCount()

    // In a second browser, the bureau registers a signed contract.
    const desk = await market.newPage()
    await logIn(desk, 'bureau@demo.local')
    await desk.goto('/deals?show=signed')
    await desk.locator('.listing-list__title').first().click()
    await desk.waitForURL(/\/deals\/[a-z0-9]+$/)
    await desk.getByLabel('登记编号').fill('2026610113' + String(Date.now()).slice(-6))
    await desk.getByRole('button', { name: '认定登记' }).click()
    await desk.getByText('合同现为“登记”').waitFor()

    // The open dashboard counts it, without being reloaded.
    await expect.poll(registeredCount, { timeout: 10_000 }).toBe(before + 1)

    // Each row of a breakdown links to the deals behind it, and lists exactly those.
    await dashboard.getByRole('link', { name: '合同类别', exact: true }).click()
    const firstRow = dashboard.locator('#breakdown-title ~ table tbody tr').first()
    const rowCount = Number((await firstRow.locator('td').first().innerText()).replace(/,/g, ''))
    const rowAmount = await firstRow.locator('td').nth(1).innerText()
    await firstRow.getByRole('link').click()
    await dashboard.waitForURL(/\/bureau\/deals\?/)
    await dashboard
      .getByText(`共 ${rowCount.toLocaleString('zh-CN')} 份，成交额 ${rowAmount} 万元`)
      .waitFor()
    const listed = await dashboard.locator('table tbody tr').count()
    expect(listed).toBe(Math.min(rowCount, 20))
    await expectAccessible(dashboard)

    // The view as a workbook: the same count as the headline.
    await dashboard.goto('/bureau')
    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      dashboard.getByRole('link', { name: 'Excel 工作簿（总览与各维度）' }).click(),
    ])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await download.path())!)
    const summary = workbook.getWorksheet('总览')!
    expect(summary.getRow(3).values).toEqual([undefined, '合同份数', before + 1])

    // The monthly report, ready to print.
    await dashboard.getByRole('link', { name: '打印月报' }).click()
    await dashboard.getByRole('heading', { level: 1, name: '西安市技术合同统计月报' }).waitFor()
    await expectAccessible(dashboard)

    // A malformed address is a clear refusal, not an error page.
    const refused = await dashboard.goto('/bureau?from=2026-13&to=2026-12')
    expect(refused?.status()).toBe(400)
    await dashboard.getByText('月份应写作 YYYY-MM（如 2026-03）').waitFor()
  }, 120_000)
})
