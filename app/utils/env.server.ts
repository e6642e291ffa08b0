import { z } from 'zod'

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(value), {
    message: '应为 postgresql://用户:密码@主机:端口/数据库 形式的连接串',
  })

/** Where the embedded database and generated secrets live unless DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = './.data'

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ message: '应为端口号' })
    .int('应为整数')
    .min(1, '应在 1–65535 之间')
    .max(65535, '应在 1–65535 之间')
    .default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().trim().min(1, '不能为空').default(DEFAULT_DATA_DIR),
  SESSION_SECRET: z
    .string()
    .optional()
    .refine(
      (value) =>
        value === undefined || value.split(',').every((secret) => secret.trim().length >= 32),
      { message: '每个密钥（逗号分隔）至少 32 个字符' },
    ),
  DEMO_SEED: z.enum(['0', '1'], { message: '只能是 0 或 1' }).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: '只能是 fatal、error、warn、info、debug、trace 或 silent',
    })
    .default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json'], { message: '只能是 pretty 或 json' }).optional(),
  TRUST_PROXY: z.enum(['0', '1'], { message: '只能是 0 或 1' }).default('0'),
  /** Worker processes serving HTTP; unset means one per core (one under `npm run dev` and tests). */
  WEB_CONCURRENCY: z.coerce
    .number({ message: '应为正整数' })
    .int('应为正整数')
    .min(1, '应在 1–64 之间')
    .max(64, '应在 1–64 之间')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce
    .number({ message: '应为正整数' })
    .int('应为正整数')
    .min(1, '应在 1–100 之间')
    .max(100, '应在 1–100 之间')
    .default(10),
  /** A Meilisearch server to search with instead of the embedded index. */
  MEILI_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/]+/, '应为 http:// 或 https:// 开头的地址')
    .optional(),
  MEILI_MASTER_KEY: z.string().optional(),
  /** Redis shared by several server processes or machines, so that their sockets share rooms. */
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, '应为 redis:// 或 rediss:// 开头的地址')
    .optional(),
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{0,40}$/, '只能含字母、数字、- 和 _，最多 40 个字符')
    .optional(),
})

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`环境变量配置有误：\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'EnvError'
  }
}

/** Validates the process environment; throws an EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const blankToUndefined = Object.fromEntries(
    Object.entries(source).map(([key, value]) => [key, value === '' ? undefined : value]),
  )
  const parsed = envSchema.safeParse(blankToUndefined)
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    )
  }
  const env = parsed.data
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    throw new EnvError([
      'SESSION_SECRET: 生产环境必须设置（至少 32 个字符，可用逗号分隔多个以便轮换）',
    ])
  }
  return env
}

/** Demo data is seeded unless DEMO_SEED=0, and never by default in production. */
export function shouldSeedDemo(env: Env): boolean {
  if (env.DEMO_SEED) return env.DEMO_SEED === '1'
  return env.NODE_ENV !== 'production'
}

/**
 * NODE_ENV as the running process sees it. The Remix compiler replaces every literal
 * `process.env.NODE_ENV` in the server bundle with the build mode, which is "production" for
 * `npm start`; what must follow how the server is *run* (the Secure cookie flag, the log
 * format) reads it through here, where destructuring keeps the compiler from inlining it.
 */
export function getRuntimeNodeEnv(): Env['NODE_ENV'] {
  const { env } = process
  const value = env.NODE_ENV
  return value === 'production' || value === 'test' ? value : 'development'
}
