import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { signInOverHttp, startInProcessServer, type InProcessServer } from '../setup/app-server'
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../setup/remix'

// The server remembers who is behind a session between requests. These tests change
// accounts the way another process would (the CLI, an import, an operator's SQL), over a
// connection of their own, and check that the server's very next answers follow.
let server: InProcessServer
let outside: pg.Client

beforeAll(async () => {
  server = await startInProcessServer()
  outside = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await outside.connect()
})

afterAll(async () => {
  await outside.end()
  await server.close()
})

function signIn(email: string) {
  return signInOverHttp(server.baseUrl, email, TEST_PASSWORD)
}

function statusOf(path: string, cookie: string) {
  return fetch(`${server.baseUrl}${path}`, {
    redirect: 'manual',
    headers: { Cookie: cookie },
  }).then((response) => response.status)
}

async function pageText(path: string, cookie: string) {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } })
  return response.text()
}

// A NOTIFY travels from the writer's commit to the server's listening connection: allow it
// the time of a round trip, not of a TTL.
const HEARD_WITHIN = { timeout: 2_000, interval: 20 }

describe('who is signed in, as the server remembers it', () => {
  test('a role granted or withdrawn outside the server applies to the next requests', async () => {
    const user = await createTestUser({ role: 'researcher' })
    const cookie = await signIn(user.email)
    expect(await statusOf('/review', cookie)).toBe(403)
    expect(await statusOf('/review', cookie)).toBe(403)

    await outside.query(`UPDATE "User" SET role = 'broker' WHERE id = $1`, [user.id])
    await expect.poll(() => statusOf('/review', cookie), HEARD_WITHIN).toBe(200)

    await outside.query(`UPDATE "User" SET role = 'researcher' WHERE id = $1`, [user.id])
    await expect.poll(() => statusOf('/review', cookie), HEARD_WITHIN).toBe(403)
  })

  test('a session ended outside the server signs the browser out', async () => {
    const user = await createTestUser()
    const cookie = await signIn(user.email)
    expect(await statusOf('/workbench', cookie)).toBe(200)

    await outside.query(`DELETE FROM "Session" WHERE "userId" = $1`, [user.id])
    await expect.poll(() => statusOf('/workbench', cookie), HEARD_WITHIN).toBe(302)
  })

  test('a renamed organization shows under its new name in the header', async () => {
    const org = await createTestOrganization({ name: '西安旧名称科技有限公司' })
    const user = await createTestUser({ orgId: org.id })
    const cookie = await signIn(user.email)
    // The terms page shows nothing of the organization but the header's account menu.
    expect(await pageText('/terms', cookie)).toContain('西安旧名称科技有限公司')

    await outside.query(`UPDATE "Organization" SET name = '西安新名称科技有限公司' WHERE id = $1`, [
      org.id,
    ])
    await expect
      .poll(() => pageText('/terms', cookie), HEARD_WITHIN)
      .toContain('西安新名称科技有限公司')
  })

  test('while changes cannot be heard nothing is remembered, and afterwards it is again', async () => {
    const user = await createTestUser({ role: 'researcher' })
    const cookie = await signIn(user.email)
    expect(await statusOf('/review', cookie)).toBe(403)

    // The server's listening connection is cut, as a database restart or a network fault would.
    await outside.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    )
    // Once the server has noticed the cut (at once: the socket closes), nothing answers from
    // memory, so a change it cannot hear of still shows on the next request.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await statusOf('/review', cookie)).toBe(403)
    await outside.query(`UPDATE "User" SET role = 'broker' WHERE id = $1`, [user.id])
    expect(await statusOf('/review', cookie)).toBe(200)

    // Listening again (the dispatcher reconnects with backoff), changes are followed as before.
    await expect
      .poll(
        async () => {
          const { rows } = await outside.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
          )
          return (rows[0] as { n: number }).n
        },
        { timeout: 5_000 },
      )
      .toBeGreaterThan(0)
    await outside.query(`UPDATE "User" SET role = 'researcher' WHERE id = $1`, [user.id])
    await expect.poll(() => statusOf('/review', cookie), HEARD_WITHIN).toBe(403)
  })
})
