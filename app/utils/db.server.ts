import { PrismaPg } from '@prisma/adapter-pg'

import { PrismaClient } from '~/generated/prisma/client'

declare global {
  var __prisma: PrismaClient | undefined
}

function createClient() {
  const connectionString = process.env.DATABASE_URL
  if (!connectionString) {
    throw new Error('DATABASE_URL 未设置：数据库启动之前不能创建 Prisma 客户端')
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) })
}

// One client per process, on a global key so that dev rebuilds of the Remix bundle reuse it.
export const prisma = (globalThis.__prisma ??= createClient())
