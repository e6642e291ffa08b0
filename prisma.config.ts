import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { defineConfig } from 'prisma/config'

// adapter-pg 6.19 cannot read catalog columns of type `name` (OID 19) and `"char"` (OID 18),
// which the migration engine queries; they are plain text to us.
const TEXT_OID = 25
// `addFields` is internal to pg and missing from its typings.
const resultPrototype = pg.Result.prototype as unknown as { addFields(fields: pg.FieldDef[]): void }
const addFields = resultPrototype.addFields
resultPrototype.addFields = function (fieldDescriptions) {
  for (const field of fieldDescriptions) {
    if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = TEXT_OID
  }
  addFields.call(this, fieldDescriptions)
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

  // adapter-pg's own version drops the shadow database while its pool still holds it.
  override async connectToShadowDb() {
    const admin = new pg.Client(this.settings)
    await admin.connect()
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`
    await admin.query(`CREATE DATABASE "${database}"`)
    await admin.end()
    const shadow = new PrismaPg({ ...this.settings, database })
    const adapter = await shadow.connect()
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
