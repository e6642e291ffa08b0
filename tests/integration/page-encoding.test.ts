import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { prisma } from '~/utils/db.server'

import { DEMO_PASSWORD, seedDemoIfEmpty } from '../../seeds/seed.server'
import { signInOverHttp, startInProcessServer, type InProcessServer } from '../setup/app-server'

let server: InProcessServer

beforeAll(async () => {
  server = await startInProcessServer()
})

afterAll(async () => {
  await server.close()
})

function signIn(email: string) {
  return signInOverHttp(server.baseUrl, email, DEMO_PASSWORD)
}

describe('streamed HTML', () => {
  test('no page carries a NUL byte or a replacement character, whoever asks', async () => {
    // The demo market: long Chinese pages, where React 18's stream used to leak NUL bytes.
    await seedDemoIfEmpty({ now: new Date() })
    const [results, needs, experts] = await Promise.all([
      prisma.result.findMany({ where: { status: 'published' }, select: { id: true }, take: 8 }),
      prisma.need.findMany({ where: { status: 'open' }, select: { id: true }, take: 8 }),
      prisma.expert.findMany({ select: { id: true }, take: 8 }),
    ])
    const publicPages = [
      '/',
      '/results',
      '/results?page=2',
      '/results?field=10',
      '/needs',
      '/needs?page=3',
      '/experts',
      '/login',
      '/register',
      '/terms',
      '/forgot-password',
      '/no/such/page', // 404
      '/results/does-not-exist', // 404
      ...results.map((row) => `/results/${row.id}`),
      ...needs.map((row) => `/needs/${row.id}`),
      ...experts.map((row) => `/experts/${row.id}`),
    ]
    const signedIn: Record<string, string[]> = {
      'researcher@demo.local': [
        '/workbench',
        '/my/listings',
        '/account',
        '/results/new',
        '/bureau',
      ],
      'enterprise@demo.local': ['/workbench', '/my/listings', '/needs/new', '/review'],
      'broker@demo.local': ['/review', '/workbench'],
      'bureau@demo.local': ['/bureau', '/review'],
      'admin@demo.local': ['/admin/users', '/bureau'],
    }

    const requests: { path: string; cookie?: string }[] = publicPages.map((path) => ({ path }))
    for (const [email, paths] of Object.entries(signedIn)) {
      const cookie = await signIn(email)
      requests.push(...paths.map((path) => ({ path, cookie })))
    }

    const statuses = new Set<number>()
    const broken: string[] = []
    for (const { path, cookie } of requests) {
      const response = await fetch(`${server.baseUrl}${path}`, {
        headers: cookie ? { Cookie: cookie } : {},
        redirect: 'manual',
      })
      statuses.add(response.status)
      const html = await response.text()
      if (html.includes('\u0000') || html.includes('\uFFFD')) {
        broken.push(`${path}${cookie ? '（已登录）' : ''} → ${response.status}`)
      }
    }
    // The sample covers what people see: pages, refusals and missing pages.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 403, 404]))
    expect(broken).toEqual([])
  })
})
