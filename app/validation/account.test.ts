import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { getSafeRedirectPath, redirectToSchema } from './account'

const SITE = 'https://market.example.cn'

// Pieces attackers combine to make a path that a browser reads as another host.
const hostilePiece = fc.constantFrom(
  '/',
  '\\',
  '//',
  '\\\\',
  '/%5C',
  '%5C',
  '%2F',
  '%2f%2f',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\u3000',
  '\u202e',
  '／',
  '＼',
  '。',
  'evil.example',
  'evil.example:443',
  'user@evil.example',
  '@',
  ':',
  'http:',
  'https:',
  'javascript:',
  'data:',
  'file:',
  '.',
  '..',
  '?',
  '#',
  '&',
  '=',
  'é',
  '市场',
)

const hostileTarget = fc.oneof(
  fc.array(hostilePiece, { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.array(hostilePiece, { maxLength: 6 }).map((pieces) => `/${pieces.join('')}`),
  fc.string({ maxLength: 40 }),
  fc.webUrl(),
)

function isSameOriginPath(path: string) {
  const resolved = new URL(path, SITE)
  return (
    resolved.origin === SITE &&
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !/[\t\n\r]/.test(path) &&
    // A backslash may stay in a query or fragment, where it cannot name a host.
    !path.split(/[?#]/)[0]!.includes('\\')
  )
}

describe('redirect targets', () => {
  test.each([
    ['/\\evil.example/phish'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['//evil.example'],
    ['/.//evil.example'],
    ['/%5C/evil.example/..//x'.replace('%5C', '\\')],
    ['https://evil.example'],
    ['javascript:alert(document.cookie)'],
    ['evil.example'],
  ])('%j never leaves the site', (target) => {
    expect(getSafeRedirectPath(target)).toBeUndefined()
    expect(getSafeRedirectPath(target, SITE)).toBeUndefined()
  })

  test('same-origin paths keep their query and fragment, normalised', () => {
    expect(getSafeRedirectPath('/results?field=80#top')).toBe('/results?field=80#top')
    expect(getSafeRedirectPath('/needs/../account')).toBe('/account')
    expect(getSafeRedirectPath('/我的成果')).toBe('/%E6%88%91%E7%9A%84%E6%88%90%E6%9E%9C')
    expect(redirectToSchema.parse('/account')).toBe('/account')
    expect(redirectToSchema.parse(undefined)).toBeUndefined()
  })

  test('whatever the string, the result is a same-origin path or nothing', () => {
    fc.assert(
      fc.property(hostileTarget, (target) => {
        for (const origin of [undefined, SITE]) {
          const safe = getSafeRedirectPath(target, origin)
          if (safe === undefined) continue
          expect(isSameOriginPath(safe)).toBe(true)
          // Normalised once means normalised: the browser lands where we checked.
          expect(getSafeRedirectPath(safe, origin)).toBe(safe)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
