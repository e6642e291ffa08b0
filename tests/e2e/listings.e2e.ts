import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

describe.skipIf(!chromiumPath)('listings in a real browser', () => {
  const market = useMarketInBrowser()

  /** A fresh browser profile, signed in as `email`. */
  async function signedIn(email: string): Promise<Page> {
    const page = await market.newPage()
    await logIn(page, email)
    return page
  }

  test('a researcher publishes a result, a broker approves it, the public finds it; other organizations cannot edit it', async () => {
    const title = '一种基于声发射的压力容器裂纹在线监测系统'
    const researcher = await signedIn('researcher@demo.local')
    await researcher.goto('/results/new')
    await expectAccessible(researcher)
    await researcher.getByLabel('成果名称').fill(title)
    await researcher
      .getByLabel('成果简介')
      .fill(
        '采用多通道声发射传感阵列与深度学习定位算法，可在线识别压力容器 0.5 mm 以上的扩展裂纹，定位误差小于 5 cm。',
      )
    await researcher.getByLabel('技术领域').selectOption('503')
    await researcher.getByLabel('技术成熟度（TRL，GB/T 22900）').selectOption('6')
    await researcher.getByLabel('关键词').fill('声发射，裂纹监测，压力容器')
    await researcher.getByLabel('意向价格（万元）').fill('80')
    await researcher.getByLabel('许可').check()
    await researcher.getByRole('button', { name: '保存草稿' }).click()
    await researcher.getByRole('heading', { level: 1, name: title }).waitFor()
    await expectAccessible(researcher)
    // The owner revises the draft before sending it for review.
    await researcher.getByRole('link', { name: '编辑' }).click()
    await researcher.getByRole('heading', { level: 1, name: '修改科技成果' }).waitFor()
    await expectAccessible(researcher)
    await researcher.getByLabel('意向价格（万元）').fill('90')
    await researcher.getByRole('button', { name: '保存修改' }).click()
    await researcher.getByText('修改已保存').waitFor()
    await researcher.getByRole('button', { name: '提交审核' }).click()
    await researcher.getByText('已提交审核').waitFor()
    const resultPath = new URL(researcher.url()).pathname

    const broker = await signedIn('broker@demo.local')
    // The queue is first come, first served: the newest submission is on its last page.
    await broker.goto('/review?page=999')
    await expectAccessible(broker)
    const item = broker.getByRole('listitem').filter({ hasText: title })
    await item.getByText('通过…').click()
    await item.getByRole('button', { name: '确认通过' }).click()
    await broker.getByText(`已通过“${title}”，该科技成果已公开发布`).waitFor()

    const visitorContext = await market.newContext()
    const visitor = await visitorContext.newPage()
    await visitor.goto('/results?field=50')
    await expectAccessible(visitor)
    await visitor.getByRole('link', { name: title }).click()
    await visitor.getByRole('heading', { level: 1, name: title }).waitFor()
    expect(await visitor.getByText('90 万元', { exact: true }).isVisible()).toBe(true)
    await expectAccessible(visitor)

    // A researcher of another institute registers and tries to edit it: not found.
    const stranger = await market.newContext()
    const other = await stranger.newPage()
    await other.goto('/register')
    await expectAccessible(other)
    await other.getByLabel('科研人员（发布科技成果）').check()
    await other.getByLabel('姓名').fill('孙研究')
    await other.getByLabel('邮箱').fill('sun@other-institute.cn')
    await other.getByLabel('密码', { exact: true }).fill('Secret123')
    await other.getByLabel('确认密码').fill('Secret123')
    await other.getByLabel('所在高校或科研院所').selectOption({ label: '西北工业大学（高校）' })
    await other.getByLabel('我已阅读并同意').check()
    await other.getByRole('button', { name: '注册' }).click()
    await other.getByTestId('current-user').waitFor()
    const refused = await other.goto(`${resultPath}/edit`)
    expect(refused?.status()).toBe(404)
    expect(await other.getByRole('heading', { level: 1 }).innerText()).toBe('页面不存在')
    await expectAccessible(other)
  })

  test('an enterprise posts a need and submits it for review', async () => {
    const enterprise = await signedIn('enterprise@demo.local')
    await enterprise.goto('/my/listings')
    await expectAccessible(enterprise)
    await enterprise.getByRole('link', { name: '发布技术需求' }).first().click()
    await enterprise.getByLabel('需求名称').fill('高炉煤气余热深度回收技术')
    await enterprise
      .getByLabel('需求描述')
      .fill(
        '我公司两座高炉煤气余热利用率不足 40%，需要低温余热回收与发电技术，要求投资回收期不超过 4 年。',
      )
    await enterprise.getByLabel('技术领域').selectOption('804')
    await enterprise.getByLabel('预算下限（万元）').fill('200')
    await enterprise.getByLabel('预算上限（万元）').fill('100')
    await enterprise.getByLabel('技术服务').check()
    await enterprise.getByRole('button', { name: '保存草稿' }).click()
    // The inverted budget is named next to its field; what was typed stays.
    await enterprise.getByText('预算上限不能低于预算下限').waitFor()
    expect(await enterprise.getByLabel('需求名称').inputValue()).toBe('高炉煤气余热深度回收技术')
    await expectAccessible(enterprise)

    await enterprise.getByLabel('预算上限（万元）').fill('500')
    await enterprise.getByRole('button', { name: '保存草稿' }).click()
    await enterprise.getByRole('heading', { level: 1, name: '高炉煤气余热深度回收技术' }).waitFor()
    await enterprise.getByRole('button', { name: '提交审核' }).click()
    await enterprise.getByText('已提交审核').waitFor()
    expect(await enterprise.getByText('待审核').first().isVisible()).toBe(true)
    await expectAccessible(enterprise)
  })
})
