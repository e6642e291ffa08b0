import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { AxeBuilder } from '@axe-core/playwright'
import pg from 'pg'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject } from 'vitest'

import { withDatabase } from '../setup/global-setup'
import { freePort } from '../setup/processes'

const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
]

/** Debian's Chromium, or undefined; browser tests are skipped, loudly, without it. */
export const chromiumPath = CHROMIUM_CANDIDATES.find(
  (candidate) => candidate && existsSync(candidate),
)

if (!chromiumPath) {
  process.stderr.write(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! 未找到 Chromium：浏览器端到端测试已跳过。                              !!',
      '!! 安装方法：apt-get install -y chromium（或设置 CHROMIUM_PATH）          !!',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  )
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface RunningApp {
  baseUrl: string
  /** The database it serves, for a second server or the CLI to share. */
  databaseUrl: string
  dataDir: string
  stop(): Promise<void>
}

/**
 * Starts the real server (`server.ts` on the production build) exactly as `npm start` would:
 * on a fresh database cloned from the migrated template, with demo data, or on the database
 * of a server already running (`shareDatabaseOf`), with `env` added.
 */
export async function startApp(
  options: { shareDatabaseOf?: RunningApp; env?: Record<string, string> } = {},
): Promise<RunningApp> {
  const adminUrl = inject('adminDatabaseUrl')
  let databaseUrl = options.shareDatabaseOf?.databaseUrl
  if (!databaseUrl) {
    const database = `xm_${inject('runId')}_e2e_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${inject('templateDatabase')}"`)
    await admin.end()
    databaseUrl = withDatabase(adminUrl, database)
  }

  const port = await freePort()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-e2e-'))
  let output = ''
  const child: ChildProcess = spawn(path.resolve('node_modules/.bin/tsx'), ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      DEMO_SEED: '1',
      SESSION_SECRET: 'e2e-session-secret-that-is-at-least-32-characters',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))

  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`服务器启动失败：\n${output}`)
    try {
      const response = await fetch(`${baseUrl}/healthz`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`服务器 90 秒内未就绪：\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }

  return {
    baseUrl,
    databaseUrl,
    dataDir,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Checks the page as it is now with axe-core and fails, naming each rule and element, on any
 * violation of impact serious or critical (government sites must be accessible).
 */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const blocking = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      elements: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }))
  expect(blocking, `无障碍检查：${page.url()}`).toEqual([])
}

export const DEMO_PASSWORD = 'Demo@2026'

/**
 * The real server and one Chromium for the calling describe block, started before its tests
 * and stopped after them; each context is a fresh browser profile on the server's address.
 */
export function useMarketInBrowser() {
  let app: RunningApp | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    app = await startApp()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })
  const newContext = (options: BrowserContextOptions = {}) =>
    browser!.newContext({ baseURL: app!.baseUrl, locale: 'zh-CN', ...options })
  return {
    newContext,
    newPage: async (options: BrowserContextOptions = {}) => (await newContext(options)).newPage(),
  }
}

/** Signs in through the login form, as a person would. */
export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('current-user').waitFor()
}
