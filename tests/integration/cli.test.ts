import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { hashApiToken } from '~/models/api-token.server'
import { verifyLogin } from '~/models/user.server'
import { prisma } from '~/utils/db.server'

import { removeDataDir, userEnvironment } from '../setup/processes'
import { createTestOrganization } from '../setup/remix'

const run = promisify(execFile)
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-cli-'))
})

afterAll(async () => {
  await removeDataDir(dataDir)
})

/**
 * Runs `npm run cli -- …` as a user would: in a shell's environment, without the variables
 * the test runner sets for itself (no SESSION_SECRET, no NODE_ENV=test), against this
 * worker's database.
 */
async function cli(...args: string[]) {
  return runCli(args, { DATABASE_URL: process.env.DATABASE_URL!, DATA_DIR: dataDir })
}

async function runCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(
      path.resolve('node_modules/.bin/tsx'),
      ['cli.ts', ...args],
      { env: userEnvironment(env) as NodeJS.ProcessEnv },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('cli', () => {
  test('every command explains itself with --help', async () => {
    for (const command of [[], ['user', 'create'], ['token', 'create'], ['seed'], ['migrate']]) {
      const { code, stdout } = await cli(...command, '--help')
      expect(code).toBe(0)
      expect(stdout).toMatch(/Usage: npm run cli --/)
    }
  })

  test('user create makes a bureau account that can log in', async () => {
    const bureau = await createTestOrganization({
      name: '西安市科学技术局',
      kind: 'government',
      regionCode: '610100',
    })
    const { code, stdout } = await cli(
      'user',
      'create',
      '--email',
      'Officer@XA.gov.cn',
      '--password',
      'Bureau2026',
      '--name',
      '刘处长',
      '--role',
      'bureau',
      '--org',
      bureau.name,
    )
    expect(code).toBe(0)
    expect(stdout).toContain('已创建账号 officer@xa.gov.cn')
    expect(await verifyLogin('officer@xa.gov.cn', 'Bureau2026')).not.toBeNull()
  })

  test('bad input exits with 2 and names the option, writing nothing', async () => {
    const weak = await cli(
      'user',
      'create',
      '--email',
      'a@b.cn',
      '--password',
      'short',
      '--name',
      '某',
      '--role',
      'broker',
    )
    expect(weak.code).toBe(2)
    expect(weak.stderr).toContain('--password: 密码至少 8 个字符')
    const noOrg = await cli(
      'user',
      'create',
      '--email',
      'a@b.cn',
      '--password',
      'Secret123',
      '--name',
      '某',
      '--role',
      'enterprise',
    )
    expect(noOrg.code).toBe(2)
    expect(noOrg.stderr).toContain('--org: 企业和科研人员账号必须指定所属单位')
    const role = await cli(
      'user',
      'create',
      '--email',
      'a@b.cn',
      '--password',
      'Secret123',
      '--name',
      '某',
      '--role',
      'king',
    )
    expect(role.code).not.toBe(0)
    expect(await prisma.user.count()).toBe(0)
  })

  test('token create prints a token once and stores only its hash', async () => {
    await prisma.user.create({
      data: { email: 'api@example.com', passwordHash: 'x', displayName: '接口', role: 'broker' },
    })
    const { code, stdout } = await cli(
      'token',
      'create',
      '--email',
      'api@example.com',
      '--name',
      '数据同步',
    )
    expect(code).toBe(0)
    const token = stdout.trim()
    expect(token).toMatch(/^xmk_[A-Za-z0-9_-]{43}$/)
    const stored = await prisma.apiToken.findFirstOrThrow({
      select: { tokenHash: true, name: true, prefix: true },
    })
    expect(stored).toEqual({
      tokenHash: hashApiToken(token),
      name: '数据同步',
      prefix: token.slice(0, 12),
    })
    expect(JSON.stringify(stored)).not.toContain(token)
  })

  test('on an empty data directory it starts its own database and creates the account', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'xm-cli-fresh-'))
    try {
      const { code, stdout, stderr } = await runCli(
        [
          'user',
          'create',
          '--email',
          'admin2@example.com',
          '--password',
          'Admin2026x',
          '--name',
          '管理员二',
          '--role',
          'admin',
        ],
        { DATA_DIR: fresh },
      )
      expect(code, stderr).toBe(0)
      // Only the result on stdout, for scripts; no log line, no secret needed.
      expect(stdout).toBe('已创建账号 admin2@example.com（admin）\n')
      expect(stderr).not.toContain('SESSION_SECRET')
    } finally {
      await removeDataDir(fresh)
    }
  })
})
