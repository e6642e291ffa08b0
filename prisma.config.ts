import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { defineConfig } from 'prisma/config'

// adapter-pg 6.19 cannot read catalog columns of type `name` (OID 19) and `"char"` (OID 18),
// which the migration engine queries. Names are plain text to the engine; a `"char"` column
// (such as pg_constraint.contype, read once any CHECK constraint exists) must reach it as a
// single character, or the engine's wasm panics with "unreachable".
const TEXT_OID = 25
const NAME_OID = 19
const CHAR_OID = 18
// ColumnTypeEnum.Character of @prisma/driver-adapter-utils, a package we do not depend on.
const CHARACTER_COLUMN = 6
// The `rows` array of a pg Result is the very array the adapter returns, so it identifies the
// result across the adapter's own code without a shared mutable slot.
const charColumnsOfRows = new WeakMap<unknown[], number[]>()
// `addFields` and `rows` are internal to pg and missing from its typings.
const resultPrototype = pg.Result.prototype as unknown as {
  addFields(this: { rows: unknown[] }, fields: pg.FieldDef[]): void
}
const addFields = resultPrototype.addFields
resultPrototype.addFields = function (fieldDescriptions) {
  const charColumns: number[] = []
  fieldDescriptions.forEach((field, index) => {
    if (field.dataTypeID === CHAR_OID) charColumns.push(index)
    if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID
  })
  if (charColumns.length) charColumnsOfRows.set(this.rows, charColumns)
  addFields.call(this, fieldDescriptions)
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>

/** The object on `adapter`'s prototype chain that defines `method` (shared by every adapter). */
function definer(adapter: Adapter, method: string) {
  let owner: object | null = adapter
  while (owner && !Object.hasOwn(owner, method)) owner = Object.getPrototypeOf(owner) as object
  if (!owner) throw new Error(`adapter-pg 已变化：找不到 ${method}，请检查 prisma.config.ts`)
  return owner
}

let adapterPatched = false
function patchAdapter(adapter: Adapter) {
  if (adapterPatched) return
  adapterPatched = true

  // Reports `"char"` columns to the engine as characters (queryRaw lives on PgQueryable, which
  // transactions share).
  const queryable = definer(adapter, 'queryRaw') as Pick<Adapter, 'queryRaw'>
  const queryRaw = queryable.queryRaw
  queryable.queryRaw = async function (this: Adapter, query) {
    const result = await queryRaw.call(this, query)
    const charColumns = charColumnsOfRows.get(result.rows) ?? []
    for (const index of charColumns) result.columnTypes[index] = CHARACTER_COLUMN as never
    return result
  }

  // adapter-pg splits a migration at every `;`, also inside comments, strings and function
  // bodies, which breaks `migrate dev/deploy/reset` on our migrations. PostgreSQL runs a whole
  // script sent as one simple query, in one implicit transaction, as Prisma's own engine does.
  const scripted = definer(adapter, 'executeScript') as Pick<Adapter, 'executeScript'>
  scripted.executeScript = async function (
    this: Adapter & { onError(error: unknown): never },
    script,
  ) {
    try {
      await this.underlyingDriver().query(script)
    } catch (error) {
      this.onError(error)
    }
  }
}

function poolConfig(url: string): pg.PoolConfig {
  // Discrete settings, not a connection string: adapter-pg swaps in the shadow database's
  // name by overriding `database`, which a connection string would silently win over.
  const parsed = new URL(url)
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    // The CLI never ends the pool; idle connections would hold the process open for 10 s.
    idleTimeoutMillis: 200,
  }
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly settings: pg.PoolConfig) {
    super(settings)
  }

  override async connect() {
    const adapter = await super.connect()
    patchAdapter(adapter)
    return adapter
  }

  // adapter-pg's own version drops the shadow database while its pool still holds it.
  override async connectToShadowDb() {
    const admin = new pg.Client(this.settings)
    await admin.connect()
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`
    await admin.query(`CREATE DATABASE "${database}"`)
    await admin.end()
    const shadow = new PrismaPg({ ...this.settings, database })
    const adapter = await shadow.connect()
    patchAdapter(adapter)
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      await dispose()
      const dropper = new pg.Client(this.settings)
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      await dropper.end()
    }
    return adapter
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('DATABASE_URL 未设置：无法连接数据库执行迁移')
    return new MigrationAdapterFactory(poolConfig(url))
  },
})
