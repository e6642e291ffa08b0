import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import v8 from 'node:v8'

/**
 * A snapshot file: a run of records, each a length-prefixed v8-serialised value whose large
 * typed arrays follow it as raw bytes. Serialising an index whole held a second copy of its
 * postings (hundreds of megabytes at market scale) in memory while it was written, and again
 * while it was read; raw arrays go from memory to the file and back without one.
 *
 * Bytes are in the machine's own order: a snapshot is read where it was written.
 */

/** Typed arrays from this size on are written raw; smaller ones travel inside the record. */
const RAW_FROM_BYTES = 64 * 1024

const ARRAY_TYPES = {
  Int8Array,
  Uint8Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const
type ArrayType = keyof typeof ARRAY_TYPES
type RawArray = InstanceType<(typeof ARRAY_TYPES)[ArrayType]>

/** Where a raw array stood in a record. */
interface RawMarker {
  __rawArray: number
  type: ArrayType
  length: number
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/** The value with its large typed arrays (inside plain objects) taken out into `raw`. */
function takeRawArrays(value: unknown, raw: RawArray[]): unknown {
  if (ArrayBuffer.isView(value) && value.byteLength >= RAW_FROM_BYTES) {
    const type = value.constructor.name
    if (!(type in ARRAY_TYPES)) return value
    raw.push(value as RawArray)
    return { __rawArray: raw.length - 1, type, length: (value as RawArray).length } as RawMarker
  }
  if (!isPlainObject(value)) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, takeRawArrays(inner, raw)]),
  )
}

function putRawArrays(value: unknown, raw: readonly RawArray[]): unknown {
  if (!isPlainObject(value)) return value
  if (typeof value.__rawArray === 'number') {
    const array = raw[value.__rawArray]
    if (!array) throw new Error('快照记录引用了不存在的数组')
    return array
  }
  for (const [key, inner] of Object.entries(value)) value[key] = putRawArrays(inner, raw)
  return value
}

function markersOf(value: unknown, found: RawMarker[] = []): RawMarker[] {
  if (!isPlainObject(value)) return found
  if (typeof value.__rawArray === 'number') {
    found.push(value as unknown as RawMarker)
    return found
  }
  for (const inner of Object.values(value)) markersOf(inner, found)
  return found
}

const bytesOf = (array: ArrayBufferView) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength)

/**
 * Writes the records to `file` atomically: beside it first, then renamed over it, so that a
 * reader never sees half a snapshot and two processes saving at once leave one whole one.
 * Each record is asked for when it is written, so only one is ever prepared at a time.
 */
export async function writeRecords(file: string, records: Iterable<() => unknown>) {
  await mkdir(path.dirname(file), { recursive: true })
  const partial = `${file}.${process.pid}.partial`
  try {
    const handle = await open(partial, 'w', 0o600)
    try {
      for (const record of records) {
        const raw: RawArray[] = []
        const body = v8.serialize(takeRawArrays(record(), raw))
        const length = Buffer.alloc(4)
        length.writeUInt32LE(body.length)
        await handle.write(length)
        await handle.write(body)
        for (const array of raw) await handle.write(bytesOf(array))
      }
    } finally {
      await handle.close()
    }
    await rename(partial, file)
  } finally {
    await rm(partial, { force: true })
  }
}

/** Reads exactly `target.byteLength` bytes at `position`, or throws if the file ends first. */
async function readExactly(handle: FileHandle, target: Uint8Array, position: number) {
  let done = 0
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done)
    if (bytesRead === 0) throw new Error('快照文件不完整')
    done += bytesRead
  }
}

/**
 * Opens a file of records for reading in order; `next()` throws when the file is cut short
 * or damaged.
 */
export async function openRecords(file: string) {
  const handle = await open(file, 'r')
  let position = 0
  return {
    async next(): Promise<unknown> {
      const length = Buffer.alloc(4)
      await readExactly(handle, length, position)
      const body = Buffer.alloc(length.readUInt32LE())
      await readExactly(handle, body, position + 4)
      position += 4 + body.length
      const value: unknown = v8.deserialize(body)
      const raw: RawArray[] = []
      // The arrays follow the record in the order they were taken out.
      const markers = markersOf(value).sort((a, b) => a.__rawArray - b.__rawArray)
      for (const marker of markers) {
        if (
          !Object.hasOwn(ARRAY_TYPES, marker.type) ||
          !Number.isSafeInteger(marker.length) ||
          marker.length < 0
        ) {
          throw new Error('快照记录已损坏')
        }
        const array = new ARRAY_TYPES[marker.type](marker.length)
        await readExactly(handle, bytesOf(array), position)
        position += array.byteLength
        raw[marker.__rawArray] = array
      }
      return putRawArrays(value, raw)
    },
    close: () => handle.close(),
  }
}
