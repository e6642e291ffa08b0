import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

import { DEFAULT_DATA_DIR } from './env.server'

/**
 * Where uploaded files live. One small interface, so that a deployment can put them in an
 * object store instead of on the server's disk by providing another implementation.
 */
export interface FileStorage {
  put(key: string, bytes: Uint8Array): Promise<void>
  read(key: string): Promise<Buffer>
  remove(key: string): Promise<void>
}

// Keys are made by the application from record ids, never from a user's file name; checked
// anyway, so that no key can name a path outside the storage's folder.
const KEY = /^[a-z0-9]+(?:\/[a-z0-9]+)*$/

function checkedKey(key: string) {
  if (!KEY.test(key)) throw new Error(`文件存储的键不合法：${key}`)
  return key
}

/** Files in a folder on this machine; a write lands whole or not at all. */
export function diskStorage(root: string): FileStorage {
  const fileOf = (key: string) => path.join(root, ...checkedKey(key).split('/'))
  return {
    async put(key, bytes) {
      const file = fileOf(key)
      await mkdir(path.dirname(file), { recursive: true })
      const partial = `${file}.partial`
      await writeFile(partial, bytes, { mode: 0o600 })
      await rename(partial, file)
    },
    read: (key) => readFile(fileOf(key)),
    remove: (key) => rm(fileOf(key), { force: true }),
  }
}

/** Contract documents: DATA_DIR/documents. */
export function documentStorage() {
  return diskStorage(path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR, 'documents'))
}
