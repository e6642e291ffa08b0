/**
 * Chinese patent application numbers since 2003: `ZL` (optional) + 4-digit year + type digit
 * (1 invention, 2 utility model, 3 design, 8/9 PCT entries) + 7-digit serial + `.` + check digit.
 */
const PATENT_NUMBER = /^(?:ZL)?(\d{4})([12389])(\d{7})\.([\dX])$/

export function computePatentCheckDigit(digits12: string): string {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(digits12.charAt(i)) * (weights[i] ?? 0)
  const check = sum % 11
  return check === 10 ? 'X' : String(check)
}

/** The patent type a number names: 'invention', 'utility_model' or 'design'; null if malformed. */
export function parsePatentNumber(value: string) {
  const match = PATENT_NUMBER.exec(value.trim().toUpperCase())
  if (!match) return null
  const [, year, type, serial, check] = match as unknown as [string, string, string, string, string]
  if (computePatentCheckDigit(`${year}${type}${serial}`) !== check) return null
  return { type: type === '2' ? 'utility_model' : type === '3' ? 'design' : 'invention' } as const
}

export function normalizePatentNumber(value: string) {
  const upper = value.trim().toUpperCase()
  return upper.startsWith('ZL') ? upper : `ZL${upper}`
}
