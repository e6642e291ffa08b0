import { writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { spawnTsx, userEnvironment } from '../setup/processes'

import {
  chromiumPath,
  expectAccessible,
  launchBrowser,
  logIn,
  startApp,
  type RunningApp,
} from './support'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Whether something answers on the Redis port; the test says so loudly when not. */
function redisAnswers(url: string) {
  const { hostname, port } = new URL(url)
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) })
    const answer = (up: boolean) => {
      socket.destroy()
      resolve(up)
    }
    socket.setTimeout(2_000)
    socket.once('connect', () => answer(true))
    socket.once('error', () => answer(false))
    socket.once('timeout', () => answer(false))
  })
}

const redisUp = await redisAnswers(REDIS_URL)
if (!redisUp) {
  process.stderr.write(
    `\n!! 未连上 Redis（${REDIS_URL}）：两台服务器共享 Redis 的测试已跳过。可用 TEST_REDIS_URL 指定。\n\n`,
  )
}

describe.skipIf(!chromiumPath || !redisUp)('two server processes sharing Redis', () => {
  let first: RunningApp
  let second: RunningApp
  let browser: Browser

  beforeAll(async () => {
    first = await startApp({ env: { REDIS_URL } })
    second = await startApp({ shareDatabaseOf: first, env: { REDIS_URL } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await second?.stop()
    await first?.stop()
  })

  const pageOn = async (app: RunningApp) =>
    (await browser.newContext({ baseURL: app.baseUrl, locale: 'zh-CN' })).newPage()
  const status = (page: Page) => page.locator('.page-heading .status-badge').innerText()

  test('talk in a deal room crosses from one server to the other, typing notices through Redis', async () => {
    const researcher = await pageOn(second)
    await logIn(researcher, 'researcher@demo.local')
    await researcher.goto('/my/listings')
    const resultPath = await researcher
      .getByRole('row')
      .filter({ hasText: '已发布' })
      .first()
      .getByRole('link')
      .first()
      .getAttribute('href')

    const enterprise = await pageOn(first)
    await logIn(enterprise, 'enterprise@demo.local')
    await enterprise.goto(resultPath!)
    await enterprise.getByLabel('留言').fill('两台服务器之间的洽谈：想了解这项成果。')
    await enterprise.getByRole('button', { name: '发起对接' }).click()
    await enterprise.waitForURL(/\/deals\/[a-z0-9]+$/)
    const dealPath = new URL(enterprise.url()).pathname
    await researcher.goto(dealPath)
    const room = (page: Page) => page.getByRole('log', { name: '洽谈消息' })
    const messageBox = (page: Page) => page.getByLabel('消息', { exact: true })
    await room(researcher).getByText('两台服务器之间的洽谈：想了解这项成果。').waitFor()

    // Typing is not stored: only the Redis adapter carries it to the other server, and only
    // to a page already in the room.
    for (const page of [enterprise, researcher]) await page.locator('[data-live="true"]').waitFor()
    await messageBox(enterprise).fill('请问')
    await researcher.getByText('正在输入…').waitFor()
    await messageBox(enterprise).fill('请问可以先做小批量试用吗？')
    await enterprise.getByRole('button', { name: '发送' }).click()
    await room(researcher).getByText('请问可以先做小批量试用吗？').waitFor()
    await messageBox(researcher).fill('可以，先签一份试用协议。')
    await researcher.getByRole('button', { name: '发送' }).click()
    await room(enterprise).getByText('可以，先签一份试用协议。').waitFor()
    await expectAccessible(researcher)
  })

  test('a deal moved by the CLI updates the page a browser has open on either server', async () => {
    const db = new pg.Client({ connectionString: first.databaseUrl })
    await db.connect()
    const { rows } = await db.query<Record<string, string | null>>(`
      SELECT d.id, d."externalId", d.title, d."contractType"::text AS "contractType", d."subType",
             s.name AS "sellerOrg", b.name AS "buyerOrg", d."contractAmount"::text AS "contractAmount",
             d."techTransactionAmount"::text AS "techTransactionAmount",
             to_char(d."signedAt", 'YYYY-MM-DD') AS "signedAt",
             to_char(d."registeredAt", 'YYYY-MM-DD') AS "registeredAt",
             d."registrationNo", d."fieldCode", r."externalId" AS result, n."externalId" AS need,
             u.email AS broker
      FROM "Deal" d
      JOIN "Organization" s ON s.id = d."sellerOrgId"
      JOIN "Organization" b ON b.id = d."buyerOrgId"
      LEFT JOIN "Result" r ON r.id = d."resultId"
      LEFT JOIN "Need" n ON n.id = d."needId"
      LEFT JOIN "User" u ON u.id = d."brokerId"
      WHERE d.status = 'registered' AND d."externalId" IS NOT NULL
      ORDER BY d."registeredAt" DESC LIMIT 1`)
    await db.end()
    const deal = rows[0]!
    const pages = await Promise.all(
      [first, second].map(async (app) => {
        const page = await pageOn(app)
        await logIn(page, 'bureau@demo.local')
        await page.goto(`/deals/${deal.id}`)
        expect(await status(page)).toBe('登记')
        return page
      }),
    )

    const file = path.join(first.dataDir, 'deal-performing.jsonl')
    const { id: _id, fieldCode, ...fields } = deal
    const row = {
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)),
      contractAmount: Number(deal.contractAmount),
      techTransactionAmount: Number(deal.techTransactionAmount),
      field: fieldCode ?? undefined,
      status: 'performing',
    }
    await writeFile(file, `${JSON.stringify(row)}\n`)
    const cli = spawnTsx('cli.ts', ['import', 'deals', file], {
      env: userEnvironment({ DATABASE_URL: first.databaseUrl, DATA_DIR: first.dataDir }),
    })
    expect(await cli.exited, cli.output()).toBe(0)
    for (const page of pages) await expect.poll(() => status(page)).toBe('履约')
  })
})
