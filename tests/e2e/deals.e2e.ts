import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

describe.skipIf(!chromiumPath)('deals in a real browser', () => {
  const market = useMarketInBrowser()

  test('an enterprise enquires on a result and the researcher answers in the deal room; the broker takes it up and signs it, both parties see it live; the bureau registers it and the home page counts it', async () => {
    // The researcher's institution's published result is what the enterprise asks about.
    const researcher = await market.newPage()
    await logIn(researcher, 'researcher@demo.local')
    await researcher.goto('/my/listings')
    const published = researcher.getByRole('row').filter({ hasText: '已发布' }).first()
    const resultLink = published.getByRole('link').first()
    const resultTitle = await resultLink.innerText()
    const resultPath = await resultLink.getAttribute('href')

    const enterprise = await market.newPage()
    await logIn(enterprise, 'enterprise@demo.local')
    await enterprise.goto(resultPath!)
    await expectAccessible(enterprise)
    await enterprise.getByRole('button', { name: '发起对接' }).click()
    // The browser refuses an empty message before anything is sent.
    expect(
      await enterprise
        .getByLabel('留言')
        .evaluate((box: HTMLTextAreaElement) => box.validity.valid),
    ).toBe(false)
    await enterprise.getByLabel('留言').fill('我们的生产线需要这项技术，想了解许可条件。')
    await enterprise.getByRole('button', { name: '发起对接' }).click()
    await enterprise.waitForURL(/\/deals\/[a-z0-9]+$/)
    const dealPath = new URL(enterprise.url()).pathname
    await enterprise.getByRole('heading', { level: 1, name: `对接：${resultTitle}` }).waitFor()
    await expectAccessible(enterprise)

    // The researcher is told, and opens the deal from their notifications.
    await researcher.goto('/notifications')
    await researcher
      .getByRole('link', { name: `有单位希望对接：${resultTitle}` })
      .first()
      .click()
    await researcher.waitForURL(dealPath)
    await expectAccessible(researcher)
    const status = (page: typeof researcher) =>
      page.locator('.page-heading .status-badge').innerText()
    expect(await status(researcher)).toBe('意向')

    // They talk in the deal room: the enquiry is its first message, and each side hears the
    // other's answer without a reload.
    const room = (page: typeof researcher) => page.getByRole('log', { name: '洽谈消息' })
    const messageBox = (page: typeof researcher) => page.getByLabel('消息', { exact: true })
    await room(researcher).getByText('我们的生产线需要这项技术，想了解许可条件。').waitFor()
    await messageBox(researcher).fill('可以，许可费按年销售额提成，细节可以再谈。')
    await messageBox(researcher).press('Control+Enter')
    await room(enterprise).getByText('可以，许可费按年销售额提成，细节可以再谈。').waitFor()
    expect(await messageBox(researcher).inputValue()).toBe('')
    await messageBox(enterprise).fill('好的，请发一份许可合同草案。')
    await enterprise.getByRole('button', { name: '发送' }).click()
    await room(researcher).getByText('好的，请发一份许可合同草案。').waitFor()
    await expectAccessible(researcher)

    // A broker takes it up from the enquiries nobody runs, and moves it on.
    const broker = await market.newPage()
    await logIn(broker, 'broker@demo.local')
    await broker.goto('/deals?show=open')
    await expectAccessible(broker)
    await broker
      .getByRole('link', { name: `对接：${resultTitle}` })
      .first()
      .click()
    await broker.getByRole('button', { name: '接手此合同' }).click()
    await broker.getByText('已接手该合同').waitFor()
    await broker.getByRole('button', { name: '进入洽谈' }).click()
    await broker.getByText('合同现为“洽谈”').waitFor()
    // Both parties' open pages follow without a reload.
    await expect.poll(() => status(researcher)).toBe('洽谈')
    await expect.poll(() => status(enterprise)).toBe('洽谈')

    // Signing asks for the terms; a technology part above the contract amount is refused
    // with the typed values kept.
    await broker.getByLabel('合同类别').selectOption('license')
    await broker.getByLabel('合同金额（万元）').fill('50')
    await broker.getByLabel('技术交易额（万元）').fill('60')
    await broker.getByRole('button', { name: '确认签约' }).click()
    await broker.getByText('技术交易额不能超过合同金额').waitFor()
    expect(await broker.getByLabel('合同金额（万元）').inputValue()).toBe('50')
    await expectAccessible(broker)
    await broker.getByLabel('技术交易额（万元）').fill('45')
    await broker.getByRole('button', { name: '确认签约' }).click()
    await broker.getByText('合同现为“签约”').waitFor()
    // The broker agrees a commission, then finds the deal on the board's ledger.
    await broker.getByLabel('比例（%，按比例时填写）').fill('4')
    await broker.getByRole('button', { name: '保存佣金' }).click()
    await broker.getByText('合同金额的 4%（2 万元）').waitFor()
    // The demo broker runs many deals: the board shows the longest waiting of each status
    // and links to the rest, where the one just signed is.
    await broker.goto('/pipeline')
    await broker
      .getByRole('region', { name: /^签约/ })
      .getByRole('link', { name: /^查看全部/ })
      .click()
    await broker.getByRole('link', { name: `对接：${resultTitle}` }).waitFor()
    await broker.goto('/pipeline')
    await expectAccessible(broker)
    await broker.goto('/ledger')
    await broker.getByRole('link', { name: `对接：${resultTitle}` }).waitFor()
    await expectAccessible(broker)
    await expect.poll(() => status(researcher)).toBe('签约')
    await expect.poll(() => status(enterprise)).toBe('签约')
    await enterprise.getByText('等待科技局认定登记。').waitFor()

    // The enterprise attaches the signed contract for the registration check; a file whose
    // content is not what its name says is refused.
    await enterprise.getByRole('link', { name: '上传合同文件' }).click()
    await enterprise.getByRole('heading', { level: 1, name: '合同文件' }).waitFor()
    await expectAccessible(enterprise)
    await enterprise.getByLabel('文件', { exact: true }).setInputFiles({
      name: '技术许可合同.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>不是 PDF</html>'),
    })
    await enterprise.getByRole('button', { name: '上传' }).click()
    await enterprise.getByText('文件内容不是 PDF、PNG 或 JPEG').waitFor()
    await enterprise.getByLabel('文件', { exact: true }).setInputFiles({
      name: '技术许可合同.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    })
    await enterprise.getByRole('button', { name: '上传' }).click()
    await enterprise.getByText('已上传：技术许可合同.pdf').waitFor()
    await expectAccessible(enterprise)
    await enterprise.getByRole('link', { name: `← 对接：${resultTitle}` }).click()
    await enterprise.waitForURL(dealPath)

    // The bureau registers it; the home page's count of registered contracts goes up.
    const bureau = await market.newPage()
    await logIn(bureau, 'bureau@demo.local')
    await bureau.goto('/')
    const registeredCount = async () =>
      Number(
        (
          await bureau
            .getByTestId('market-figures')
            .locator('li')
            .filter({ hasText: '登记技术合同' })
            .innerText()
        ).replace(/\D/g, ''),
      )
    const before = await registeredCount()
    await bureau.goto(dealPath)
    await bureau.getByRole('link', { name: '技术许可合同.pdf' }).waitFor()
    await expectAccessible(bureau)
    await bureau.getByLabel('登记编号').fill('2026610113' + String(Date.now()).slice(-6))
    await bureau.getByRole('button', { name: '认定登记' }).click()
    await bureau.getByText('合同现为“登记”').waitFor()
    await expect.poll(() => status(enterprise)).toBe('登记')
    await bureau.goto('/')
    expect(await registeredCount()).toBe(before + 1)
    // Every broker's ledger, for the bureau.
    await bureau.goto('/ledger')
    await bureau.getByRole('link', { name: '张经纪' }).click()
    await bureau.getByRole('link', { name: `对接：${resultTitle}` }).waitFor()
    await expectAccessible(bureau)
    // Four people in four browsers through a deal's whole life: longer than one page's test.
  }, 150_000)
})
