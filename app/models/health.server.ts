import { prisma } from '~/utils/db.server'

export async function checkDatabase(): Promise<boolean> {
  try {
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref()),
    ])
    return true
  } catch {
    return false
  }
}
