import { z } from 'zod'

import { isValidCreditCode } from '~/domain/credit-code'
import { TEXT_LIMITS as L } from '~/domain/limits'

/** PostgreSQL text cannot hold NUL characters; refusing them here keeps them from becoming a 500. */
export function isStorableText(value: string) {
  return !value.includes('\u0000')
}

export const emailSchema = z
  .string({ message: '请填写邮箱' })
  .trim()
  .min(1, '请填写邮箱')
  .max(254, '邮箱不能超过 254 个字符')
  .pipe(z.email({ message: '邮箱格式不正确' }))
  .transform((email) => email.toLowerCase())

export const passwordSchema = z
  .string({ message: '请填写密码' })
  .min(8, '密码至少 8 个字符')
  .max(72, '密码不能超过 72 个字符')
  .refine((value) => /[A-Za-z]/.test(value) && /\d/.test(value), {
    message: '密码需同时包含字母和数字',
  })

export const displayNameSchema = z
  .string({ message: '请填写姓名' })
  .trim()
  .min(1, '请填写姓名')
  .max(L.personName, `姓名不能超过 ${L.personName} 个字符`)
  .refine(isStorableText, '姓名包含无法保存的字符')

export const organizationNameSchema = z
  .string({ message: '请填写单位名称' })
  .trim()
  .min(2, '单位名称至少 2 个字符')
  .max(L.orgName, `单位名称不能超过 ${L.orgName} 个字符`)
  .refine(isStorableText, '单位名称包含无法保存的字符')

export const creditCodeSchema = z
  .string({ message: '请填写统一社会信用代码' })
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => value.length === 18, { message: '统一社会信用代码应为 18 位' })
  .refine(isValidCreditCode, { message: '统一社会信用代码校验位不正确' })

export const regionCodeSchema = z
  .string({ message: '请选择所在区县' })
  .regex(/^\d{6}$/, '区县代码应为 6 位数字')

// Relative targets resolve the same against any origin, so a placeholder stands in for the
// site's own: what matters is whether the target can leave it.
const SELF_ORIGIN = 'https://self.invalid'
const MAX_REDIRECT_LENGTH = 2000

/**
 * The same-origin path a redirect target leads to, or undefined when it could lead anywhere
 * else. The target is resolved as a browser would (`new URL(target, origin)`, which turns
 * backslashes into slashes and drops tabs and newlines) and kept only when the origin stays
 * ours; the normalised path is returned, never the raw string, and a path that a browser
 * would read as protocol-relative (`//host`) is refused too.
 */
export function getSafeRedirectPath(
  target: string | null | undefined,
  origin: string = SELF_ORIGIN,
): string | undefined {
  if (!target || target.length > MAX_REDIRECT_LENGTH || !target.startsWith('/')) return undefined
  let url: URL
  try {
    url = new URL(target, origin)
  } catch {
    return undefined
  }
  if (url.origin !== new URL(origin).origin || url.pathname.startsWith('//')) return undefined
  return `${url.pathname}${url.search}${url.hash}`
}

/** A safe in-app path to return to after login; anything else falls back to the home page. */
export const redirectToSchema = z
  .string()
  .optional()
  .transform((value) => getSafeRedirectPath(value))

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string({ message: '请填写密码' }).min(1, '请填写密码').max(200, '密码过长'),
  redirectTo: redirectToSchema,
})

const TERMS_MESSAGE = '请阅读并同意《服务条款与隐私政策》'

const registerBase = {
  displayName: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
  confirmPassword: z.string({ message: '请再次输入密码' }),
  acceptTerms: z
    .boolean({ message: TERMS_MESSAGE })
    .refine((accepted) => accepted, { message: TERMS_MESSAGE }),
}

/**
 * Researchers ask to join a listed university or institute; enterprise users either register
 * a new enterprise (and become its first admitting member) or ask to join one already listed.
 * Every request to join waits for an admitting member of the organization or platform staff.
 */
export const registerSchema = z
  .discriminatedUnion(
    'role',
    [
      z.object({
        ...registerBase,
        role: z.literal('researcher'),
        orgId: z.string({ message: '请选择所在高校或科研院所' }).min(1, '请选择所在高校或科研院所'),
      }),
      z.object({
        ...registerBase,
        role: z.literal('enterprise'),
        enterpriseMode: z
          .enum(['create', 'join'], { message: '请选择登记新企业或申请加入已登记的企业' })
          .default('create'),
        orgName: organizationNameSchema,
        // Required when registering a new enterprise (checked below); joining needs the name only.
        creditCode: creditCodeSchema.optional(),
        regionCode: regionCodeSchema.optional(),
      }),
    ],
    { message: '请选择账号类型：企业或科研人员' },
  )
  .superRefine((value, ctx) => {
    if (value.password !== value.confirmPassword) {
      ctx.addIssue({ code: 'custom', message: '两次输入的密码不一致', path: ['confirmPassword'] })
    }
    if (value.role === 'enterprise' && value.enterpriseMode === 'create') {
      if (!value.creditCode) {
        ctx.addIssue({ code: 'custom', message: '请填写统一社会信用代码', path: ['creditCode'] })
      }
      if (!value.regionCode) {
        ctx.addIssue({ code: 'custom', message: '请选择所在区县', path: ['regionCode'] })
      }
    }
  })

export type RegisterInput = z.infer<typeof registerSchema>

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ message: '请填写当前密码' }).min(1, '请填写当前密码'),
    newPassword: passwordSchema,
    confirmPassword: z.string({ message: '请再次输入新密码' }),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    message: '两次输入的新密码不一致',
    path: ['confirmPassword'],
  })

/** The new password of a reset link: the same rules as at registration. */
export const resetPasswordSchema = z
  .object({
    token: z
      .string({ message: '重置链接无效，请重新申请' })
      .regex(/^[A-Za-z0-9_-]{20,100}$/, '重置链接无效，请重新申请'),
    newPassword: passwordSchema,
    confirmPassword: z.string({ message: '请再次输入新密码' }),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    message: '两次输入的新密码不一致',
    path: ['confirmPassword'],
  })

export const forgotPasswordSchema = z.object({ email: emailSchema })
