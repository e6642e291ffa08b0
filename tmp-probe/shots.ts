import { chromium, type Page } from 'playwright-core'

const base = 'http://127.0.0.1:3111'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
async function login(width: number, email: string) {
  const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill('Demo@2026')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('current-user').waitFor()
  return page
}
async function shot(page: Page, path: string, name: string) {
  await page.goto(path)
  await page.waitForTimeout(800)
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true })
}
// A deal with messages: the enterprise enquires on a researcher result.
const ent = await login(1366, 'enterprise@demo.local')
await ent.goto('/results')
const link = ent.locator('a[href^="/results/c"]').first()
await link.click()
await ent.getByLabel('留言').fill('您好，我们想了解这项技术的许可条件和报价。')
await ent.getByRole('button', { name: '发起对接' }).click()
await ent.waitForURL(/\/deals\//)
const dealPath = new URL(ent.url()).pathname
await ent.getByLabel('消息', { exact: true }).fill('另外想问一下，是否可以先做小批量试制？')
await ent.getByRole('button', { name: '发送' }).click()
await ent.waitForTimeout(500)
await shot(ent, dealPath, 'deal-1366')
const entMobile = await login(390, 'enterprise@demo.local')
await shot(entMobile, dealPath, 'deal-390')
await shot(entMobile, `${dealPath}/documents`, 'docs-390')
const broker = await login(1366, 'broker@demo.local')
await shot(broker, '/pipeline', 'pipeline-1366')
const brokerMobile = await login(390, 'broker@demo.local')
await shot(brokerMobile, '/pipeline', 'pipeline-390')
const bureau = await login(1366, 'bureau@demo.local')
await shot(bureau, '/ledger', 'ledger-1366')
await bureau.getByRole('link').filter({ hasText: '张经纪' }).first().click()
await bureau.waitForTimeout(500)
await bureau.screenshot({ path: '/tmp/shot-ledger-detail-1366.png', fullPage: true })
const bureauMobile = await login(390, 'bureau@demo.local')
await shot(bureauMobile, '/ledger', 'ledger-390')
await browser.close()
