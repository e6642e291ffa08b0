// 统一社会信用代码 (GB 32100-2015): 18 characters =
//   1 registration authority + 1 category + 6 region (GB/T 2260)
//   + 9 organization code (GB 11714: 8 body characters + 1 check character)
//   + 1 check character over the first 17.
// Both check characters are verified, so a code that passes here also has a valid
// embedded organization code.

/** The 31 characters a unified social credit code may contain (no I, O, Z, S, V). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

const creditCharValue = new Map([...CREDIT_CODE_CHARSET].map((char, index) => [char, index]))

// GB 11714 values digits as themselves and letters A=10 … Z=35.
function getOrgCharValue(char: string): number | undefined {
  if (/^[0-9]$/.test(char)) return Number(char)
  if (/^[A-Z]$/.test(char)) return char.charCodeAt(0) - 55
  return undefined
}

/**
 * The GB 11714 check character of an 8-character organization code body:
 * 11 − (Σ value × weight mod 11), where 10 → 'X' and 11 → '0'.
 * Throws when the body is not 8 digits or upper-case letters.
 */
export function computeOrgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new Error(`organization code body must be 8 characters: ${body8}`)
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const value = getOrgCharValue(body8.charAt(i))
    if (value === undefined) throw new Error(`invalid organization code character in ${body8}`)
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0)
  }
  const check = 11 - (sum % 11)
  if (check === 10) return 'X'
  if (check === 11) return '0'
  return String(check)
}

/**
 * The GB 32100 check character (position 18) for the first 17 characters of a
 * unified social credit code: (31 − Σ value × weight mod 31) mod 31, mapped back to the charset.
 * Throws when `first17` is not 17 characters of {@link CREDIT_CODE_CHARSET}.
 */
export function computeCreditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error(`expected 17 characters, got ${first17.length}`)
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = creditCharValue.get(first17.charAt(i))
    if (value === undefined) throw new Error(`invalid credit code character in ${first17}`)
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0)
  }
  return CREDIT_CODE_CHARSET.charAt((31 - (sum % 31)) % 31)
}

/**
 * Completes a 16-character prefix (authority, category, region, 8-character organization
 * code body) with both check characters, giving a valid 18-character code.
 */
export function completeCreditCode(first16: string): string {
  if (first16.length !== 16) throw new Error(`expected 16 characters, got ${first16.length}`)
  const first17 = first16 + computeOrgCodeCheckChar(first16.slice(8, 16))
  return first17 + computeCreditCodeCheckChar(first17)
}

/**
 * True when `code` is a well-formed unified social credit code: 18 characters of the
 * charset, a correct embedded organization code check character (position 17) and a
 * correct final check character. Authority and category characters are not checked.
 */
export function isValidCreditCode(code: string): boolean {
  if (code.length !== 18) return false
  for (const char of code) {
    if (!creditCharValue.has(char)) return false
  }
  const orgBody = code.slice(8, 16)
  if (computeOrgCodeCheckChar(orgBody) !== code.charAt(16)) return false
  return computeCreditCodeCheckChar(code.slice(0, 17)) === code.charAt(17)
}
