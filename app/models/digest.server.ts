import { prisma } from '~/utils/db.server'
import { getRuntimeNodeEnv } from '~/utils/env.server'
import { logger } from '~/utils/logger.server'
import { getMailConfig, sendMail, type MailConfig } from '~/utils/mail.server'

/**
 * The daily digest: each user with notifications that are still unread and arrived since
 * their last digest gets one message listing them. Sent through the mail transport when one
 * is configured; written to the log in development; otherwise only counted. One run at a time
 * over all servers (an advisory lock), and each user's mark moves only when their digest went
 * out, so a failed send is retried the next day with everything in it.
 */

const log = logger.child({ component: 'digest' })
/** Lines in one digest; the rest is summed up with a link to the notification centre. */
const DIGEST_ITEMS = 20
const LOCK = 'notification-digest'

export interface DigestOutcome {
  users: number
  sent: number
  logged: number
  failed: number
  /** Another server was running the digest at the same moment. */
  skipped?: boolean
}

export async function sendNotificationDigests(
  options: { now?: Date; mail?: MailConfig | null } = {},
): Promise<DigestOutcome> {
  const now = options.now ?? new Date()
  const mail = options.mail === undefined ? getMailConfig() : options.mail
  const logOnly = !mail && getRuntimeNodeEnv() === 'development'
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext(${LOCK})) AS locked`
      if (!lock?.locked) return { users: 0, sent: 0, logged: 0, failed: 0, skipped: true }
      const users = await tx.user.findMany({
        where: { notifications: { some: { readAt: null } } },
        select: { id: true, email: true, displayName: true, lastDigestAt: true },
      })
      const outcome: DigestOutcome = { users: 0, sent: 0, logged: 0, failed: 0 }
      for (const user of users) {
        const where = {
          userId: user.id,
          readAt: null,
          createdAt: { lte: now, ...(user.lastDigestAt ? { gt: user.lastDigestAt } : {}) },
        }
        const [count, items] = await Promise.all([
          tx.notification.count({ where }),
          tx.notification.findMany({
            where,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: DIGEST_ITEMS,
            select: { title: true, link: true },
          }),
        ])
        if (count === 0) continue
        outcome.users += 1
        const text = digestText(user.displayName, count, items, mail?.publicUrl ?? '')
        const subject = `西安科技大市场：您有 ${count} 条未读通知`
        if (mail) {
          try {
            await sendMail(mail, { to: user.email, subject, text })
            outcome.sent += 1
          } catch (error) {
            outcome.failed += 1
            log.warn({ err: error, userId: user.id }, '通知摘要邮件发送失败，明天重试')
            continue
          }
        } else if (logOnly) {
          log.info({ to: user.email }, `${subject}\n${text}`)
          outcome.logged += 1
        }
        await tx.user.update({ where: { id: user.id }, data: { lastDigestAt: now } })
      }
      return outcome
    },
    // Sending mail to every user with news takes a while; the lock is held throughout.
    { timeout: 10 * 60_000, maxWait: 10_000 },
  )
}

function digestText(
  name: string,
  count: number,
  items: { title: string; link: string | null }[],
  publicUrl: string,
) {
  const lines = items.map(
    (item) => `· ${item.title}${item.link ? `\n  ${publicUrl}${item.link}` : ''}`,
  )
  const more = count > items.length ? [`……另有 ${count - items.length} 条`] : []
  return [
    `${name}，您好：`,
    '',
    `自上次摘要以来，您有 ${count} 条未读通知：`,
    '',
    ...lines,
    ...more,
    '',
    `查看全部通知：${publicUrl}/notifications`,
    '',
    '—— 西安科技大市场（此邮件每天最多一封，仅在有新的未读通知时发送）',
  ].join('\n')
}

/** Until the next digest: 08:00 in Xi'an (00:00 UTC), when the working day starts. */
export function msUntilNextDigest(now: Date) {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  return next - now.getTime()
}
