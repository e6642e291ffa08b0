import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Reads a generated secret, or creates it (owner-only) the first time. The server, the CLI
 * and the session cookie all go through here, so whichever process runs first writes the
 * file and every later one reads the same value.
 */
export function readOrCreateSecret(file: string): string {
  const exists = existsSync(file)
  if (exists) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored) return stored
  }
  mkdirSync(path.dirname(file), { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  // `wx` fails if another process created the file in the meantime; then its value wins.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: exists ? 'w' : 'wx' })
    return secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return readFileSync(file, 'utf8').trim()
  }
}
