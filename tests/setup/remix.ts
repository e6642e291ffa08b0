import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

import { completeCreditCode } from '~/domain/credit-code'
import type { Role } from '~/generated/prisma/enums'
import { createUser } from '~/models/user.server'
import * as loginRoute from '~/routes/login'
import { prisma } from '~/utils/db.server'

const BASE = 'http://localhost:3000'
export const testContext = { clientIp: '127.0.0.1', cspNonce: '' }

export function buildRequest(
  path: string,
  options: {
    method?: string
    form?: Record<string, string | string[]>
    cookie?: string | null
  } = {},
) {
  const headers = new Headers({ Origin: BASE })
  if (options.cookie) headers.set('Cookie', options.cookie)
  let body: URLSearchParams | undefined
  if (options.form) {
    body = new URLSearchParams()
    for (const [key, value] of Object.entries(options.form)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item)
    }
  }
  return new Request(new URL(path, BASE), {
    method: options.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  })
}

/** Runs a loader or action and returns its Response, whether it was returned or thrown. */
export async function run(
  handler: (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await handler({ request, params, context: testContext })
    if (result instanceof Response) return result
    return Response.json(result)
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

/** The cookie a browser would send back after this response. */
export function cookieFrom(response: Response) {
  const setCookie = response.headers.get('Set-Cookie')
  return setCookie ? setCookie.split(';')[0]! : null
}

export const TEST_PASSWORD = 'Passw0rd!'

export async function createTestUser(overrides: Partial<Parameters<typeof createUser>[0]> = {}) {
  return createUser({
    email: `user-${Math.random().toString(36).slice(2)}@example.com`,
    password: TEST_PASSWORD,
    displayName: '测试用户',
    role: 'enterprise',
    orgId: null,
    ...overrides,
  })
}

/** A new user of `role` (an active member of `orgId`), signed in through the login form. */
export async function createSignedInUser(role: Role, orgId: string | null = null) {
  const user = await createTestUser({ role, orgId })
  const response = await run(
    loginRoute.action,
    buildRequest('/login', { form: { email: user.email, password: TEST_PASSWORD } }),
  )
  return { user, cookie: cookieFrom(response) }
}

let organizationSerial = 0

/** An organization with a valid, unique credit code; enterprise in 雁塔区 unless overridden. */
export async function createTestOrganization(
  overrides: Partial<{
    name: string
    kind: 'university' | 'institute' | 'enterprise' | 'broker_agency' | 'government'
    regionCode: string
  }> = {},
) {
  organizationSerial += 1
  const serial = String(organizationSerial).padStart(6, '0')
  return prisma.organization.create({
    data: {
      name: overrides.name ?? `测试单位${serial}${Math.random().toString(36).slice(2, 6)}`,
      kind: overrides.kind ?? 'enterprise',
      regionCode: overrides.regionCode ?? '610113',
      creditCode: completeCreditCode(`91610113MA${serial}`),
    },
    select: { id: true, name: true, kind: true },
  })
}
