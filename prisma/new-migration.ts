// `npm run db:migration -- --name 说明`: turns a change of prisma/schema.prisma into a new
// migration folder, against a throwaway database, then regenerates the Prisma client.
// It replaces `prisma migrate dev`, which cannot run with the driver adapter here.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'

// The embedded cluster's own start-up lines are noise for a developer tool; the logger reads
// this when it is first imported, hence the dynamic import below.
process.env.LOG_LEVEL ??= 'warn'
const { createMigration, NothingToMigrateError, ROOT, SCHEMA_PATH, withScratchServer } =
  await import('./migration-tools')

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      // Another schema and migrations folder, as Prisma's own --schema; the tests use copies.
      schema: { type: 'string' },
      migrations: { type: 'string' },
    },
    strict: true,
  })
  if (!values.name?.trim()) {
    throw new Error('请用 --name 说明这次修改，例如：npm run db:migration -- --name deal_rooms')
  }
  const name = values.name
  const schemaPath = values.schema && path.resolve(values.schema)
  const migrationsDir = values.migrations && path.resolve(values.migrations)
  const created = await withScratchServer((serverUrl) =>
    createMigration({ name, serverUrl, schemaPath, migrationsDir }),
  )
  process.stdout.write(
    `已生成迁移 ${path.relative(process.cwd(), created.file)}：\n\n${created.sql.trim()}\n\n` +
      'Prisma 无法表达的 CHECK 约束、触发器和部分索引请手写进这个文件；' +
      '迁移会在下次 npm start、npm test 或任一 CLI 命令时执行。\n',
  )
  // As `prisma migrate dev` would: the code must see the new schema at once. Only for the
  // project's own schema, whose client the app imports.
  if (schemaPath && schemaPath !== SCHEMA_PATH) return
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js')
  await promisify(execFile)(process.execPath, [prismaCli, 'generate'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: 'postgresql://localhost/generate-only' },
  })
  process.stdout.write('已重新生成 Prisma 客户端。\n')
}

main().catch((error: unknown) => {
  if (error instanceof NothingToMigrateError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`未能生成迁移：${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
