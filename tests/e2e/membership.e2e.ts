import { describe, expect, test } from 'vitest'

import { completeCreditCode } from '~/domain/credit-code'

import { chromiumPath, expectAccessible, logIn, useMarketInBrowser } from './support'

const APPLICANT = { name: '钱新人', email: 'qian@e2e-xjtu.edu.cn', password: 'Secret123' }

describe.skipIf(!chromiumPath)('membership and password reset in a real browser', () => {
  const market = useMarketInBrowser()

  const newPage = () => market.newPage()

  test('a researcher asks to join, an approver admits them, and then they act for the university', async () => {
    const applicant = await newPage()
    await applicant.goto('/register')
    await applicant.getByLabel('科研人员（发布科技成果）').check()
    await applicant.getByLabel('姓名').fill(APPLICANT.name)
    await applicant.getByLabel('邮箱').fill(APPLICANT.email)
    await applicant.getByLabel('密码', { exact: true }).fill(APPLICANT.password)
    await applicant.getByLabel('确认密码').fill(APPLICANT.password)
    await applicant.getByLabel('所在高校或科研院所').selectOption({ label: '西安交通大学（高校）' })
    // Without consent to the terms the form names the missing checkbox.
    await applicant.getByRole('button', { name: '注册' }).click()
    await applicant.getByText('请阅读并同意《服务条款与隐私政策》').waitFor()
    const consent = applicant.getByLabel('我已阅读并同意')
    expect(await consent.getAttribute('aria-invalid')).toBe('true')
    await expectAccessible(applicant)
    await consent.check()
    await applicant.getByLabel('密码', { exact: true }).fill(APPLICANT.password)
    await applicant.getByLabel('确认密码').fill(APPLICANT.password)
    await applicant.getByRole('button', { name: '注册' }).click()
    await applicant.getByTestId('current-user').waitFor()

    // Every page tells the pending member where they stand.
    const notice = applicant.getByRole('status').filter({ hasText: '正在等待' })
    await notice.waitFor()
    expect(await notice.innerText()).toContain('西安交通大学')
    await expectAccessible(applicant)
    // Nothing of the university's is theirs to change yet.
    await applicant.goto('/my/listings')
    await applicant.getByRole('heading', { level: 2, name: '还没有科技成果' }).waitFor()

    const approver = await newPage()
    await logIn(approver, 'researcher@demo.local')
    await approver.getByRole('link', { name: /成员审核/ }).click()
    await approver.getByRole('heading', { level: 1, name: '成员审核' }).waitFor()
    const request = approver.getByRole('listitem').filter({ hasText: APPLICANT.email })
    expect(await request.innerText()).toContain('西安交通大学')
    await expectAccessible(approver)
    await request.getByRole('button', { name: `通过：${APPLICANT.name}的申请` }).click()
    await approver.getByText(`已通过${APPLICANT.name}的加入申请`).waitFor()
    expect(await approver.getByText('目前没有待审核的加入申请。').isVisible()).toBe(true)
    expect(await approver.getByRole('cell', { name: APPLICANT.email }).isVisible()).toBe(true)

    // The same session now acts for the university: its listings are theirs to look after.
    await applicant.goto('/my/listings')
    expect(await applicant.getByRole('status').filter({ hasText: '正在等待' }).count()).toBe(0)
    const withdraw = applicant.getByRole('button', { name: /^撤回发布/ }).first()
    await withdraw.waitFor()
    await withdraw.click()
    await applicant.getByText('已撤回，该成果不再公开').waitFor()
    await expectAccessible(applicant)
  })

  test('registering an enterprise already listed offers to join it instead', async () => {
    const member = await newPage()
    await logIn(member, 'enterprise@demo.local')
    const orgName = await member.locator('.account-box__org').innerText()

    const page = await newPage()
    await page.goto('/register')
    await page.getByLabel('企业（发布技术需求）').check()
    await page.getByLabel('姓名').fill('孙采购')
    await page.getByLabel('邮箱').fill('sun@e2e-join.cn')
    await page.getByLabel('密码', { exact: true }).fill('Secret123')
    await page.getByLabel('确认密码').fill('Secret123')
    await page.getByLabel('企业名称').fill(orgName)
    await page.getByLabel('统一社会信用代码').fill(completeCreditCode('91610113MA6W7XC3'))
    await page.getByLabel('注册地').selectOption('610113')
    await page.getByLabel('我已阅读并同意').check()
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByText('该企业已在平台登记').waitFor()
    await expectAccessible(page)
    await page.getByRole('button', { name: '申请加入该单位' }).click()
    // Joining needs the name only; the registration details of a new enterprise go away.
    expect(await page.getByLabel('申请加入已登记的企业').isChecked()).toBe(true)
    expect(await page.getByLabel('统一社会信用代码').count()).toBe(0)
    await page.getByLabel('密码', { exact: true }).fill('Secret123')
    await page.getByLabel('确认密码').fill('Secret123')
    await page.getByRole('button', { name: '注册' }).click()
    await page.getByTestId('current-user').waitFor()
    const notice = page.getByRole('status').filter({ hasText: '正在等待' })
    expect(await notice.innerText()).toContain(orgName)
  })

  test('忘记密码 answers without telling whether the account exists; the terms page reads well', async () => {
    const page = await newPage()
    await page.goto('/login')
    await page.getByRole('link', { name: '忘记密码？' }).click()
    await page.getByRole('heading', { level: 1, name: '忘记密码' }).waitFor()
    await expectAccessible(page)
    await page.getByLabel('邮箱').fill('nobody@example.com')
    await page.getByRole('button', { name: '发送重置链接' }).click()
    const answer = page.getByRole('status').filter({ hasText: '如果该邮箱已在平台注册' })
    await answer.waitFor()
    await expectAccessible(page)

    await page.goto('/reset-password?token=made-up-token-made-up-token')
    await page.getByText('该重置链接无效、已使用或已过期').waitFor()
    await expectAccessible(page)

    await page.goto('/terms')
    await page.getByRole('heading', { level: 1, name: '服务条款与隐私政策' }).waitFor()
    expect(await page.getByText('西安科技大市场服务中心').first().isVisible()).toBe(true)
    await expectAccessible(page)
  })
})
