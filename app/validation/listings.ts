import { z } from 'zod'

import { CONTRACT_SUBTYPES, isRegisteredDealStatus } from '~/domain/constants'
import { REGISTRATION_NO, registrationNoProblem } from '~/domain/deals'
import { TEXT_LIMITS as L } from '~/domain/limits'
import { normalizePatentNumber, parsePatentNumber } from '~/domain/patent-number'
import { isKnownFieldCode } from '~/domain/reference'
import {
  ContractType,
  CooperationMode,
  DealStatus,
  IpType,
  OrgKind,
  TransferMode,
} from '~/generated/prisma/enums'

import {
  creditCodeSchema,
  emailSchema,
  isStorableText,
  organizationNameSchema,
  regionCodeSchema,
} from './account'

// Field schemas, each written once and shared by the forms, the JSON API and the importer.
// Every message names its field in Chinese, because an import report shows it without a form.

const MAX_YUAN = 1_000_000_000_000

export function requiredText(name: string, max: number, min = 1) {
  return z
    .string({ message: `请填写${name}` })
    .trim()
    .min(1, { message: `请填写${name}`, abort: true })
    .min(min, `${name}至少 ${min} 个字符`)
    .max(max, `${name}不能超过 ${max} 个字符`)
    .refine(isStorableText, `${name}包含无法保存的字符`)
}

export function optionalText(name: string, max: number) {
  return z
    .string({ message: `${name}应为文本` })
    .trim()
    .max(max, `${name}不能超过 ${max} 个字符`)
    .refine(isStorableText, `${name}包含无法保存的字符`)
    .optional()
    .transform((value) => value || undefined)
}

/** Accepts a list, one value, or text separated by commas, semicolons or spaces. */
function listOf<T extends z.ZodType>(item: T, separators = /[,，;；、\s]+/) {
  return z.preprocess((value) => {
    if (value === undefined || value === null || value === '') return []
    if (Array.isArray(value)) return value
    if (typeof value === 'string') return value.split(separators).filter(Boolean)
    return value
  }, z.array(item))
}

export const fieldCodeSchema = z
  .string({ message: '请选择技术领域' })
  .trim()
  .min(1, '请选择技术领域')
  .superRefine((code, ctx) => {
    if (!isKnownFieldCode(code))
      ctx.addIssue({ code: 'custom', message: `技术领域代码“${code}”不存在` })
  })

export const keywordsSchema = listOf(
  z
    .string()
    .trim()
    .min(1)
    .max(L.keyword, `每个关键词不能超过 ${L.keyword} 个字符`)
    .refine(isStorableText, '关键词包含无法保存的字符'),
).refine((list) => list.length <= L.keywordsPerListing, {
  message: `关键词最多 ${L.keywordsPerListing} 个`,
})

export const trlSchema = z.coerce
  .number({ message: '技术成熟度（TRL）应为 1–9 的整数' })
  .int('技术成熟度（TRL）应为 1–9 的整数')
  .min(1, '技术成熟度（TRL）应为 1–9 的整数')
  .max(9, '技术成熟度（TRL）应为 1–9 的整数')

/** Optional and blank-tolerant: an empty form field or CSV cell means "not given". */
export const ipTypeSchema = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.enum(Object.values(IpType), { message: '知识产权类型不正确' }).optional(),
)

export const patentNosSchema = listOf(z.string().trim()).pipe(
  z
    .array(
      z.string().superRefine((value, ctx) => {
        if (!parsePatentNumber(value)) {
          ctx.addIssue({
            code: 'custom',
            message: `专利号“${value}”格式不正确（应如 ZL202310123456.7，末位为校验位）`,
          })
        }
      }),
    )
    .max(20, '专利号最多 20 个')
    .transform((numbers) => [...new Set(numbers.map(normalizePatentNumber))]),
)

export const transferModesSchema = listOf(
  z.enum(Object.values(TransferMode), { message: '转化方式不正确' }),
).refine((list) => list.length >= 1, { message: '请至少选择一种转化方式' })

export const cooperationModesSchema = listOf(
  z.enum(Object.values(CooperationMode), { message: '合作方式不正确' }),
).refine((list) => list.length >= 1, { message: '请至少选择一种合作方式' })

/** An amount in yuan; blank means none (面议). */
export function yuanSchema(name: string) {
  return z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce
      .number({ message: `${name}应为数字` })
      .finite(`${name}应为数字`)
      .min(0, `${name}不能为负数`)
      .max(MAX_YUAN, `${name}过大`)
      .optional(),
  )
}

/** An amount typed in 万元 on a form, stored in yuan. */
export function wanSchema(name: string) {
  return yuanSchema(name).transform((wan) =>
    wan === undefined ? undefined : Math.round(wan * 1_000_000) / 100,
  )
}

function startOfTodayInChina(now = new Date()) {
  const day = now.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
  return new Date(`${day}T00:00:00+08:00`)
}

export const deadlineSchema = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.coerce
    .date({ message: '截止日期格式不正确（应如 2027-06-30）' })
    .refine((date) => date >= startOfTodayInChina(), { message: '截止日期不能早于今天' })
    .optional(),
)

const optionalBoolean = z.preprocess(
  (value) => {
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value === 'boolean') return value
    const text = String(value).trim().toLowerCase()
    if (['true', '1', 'yes', 'y', '是', 'on'].includes(text)) return true
    if (['false', '0', 'no', 'n', '否'].includes(text)) return false
    return value
  },
  z.boolean({ message: '应为 true/false（或 是/否）' }).optional(),
)

function checkPatentsMatchIpType(
  value: { ipType?: string; patentNos: string[] },
  ctx: z.RefinementCtx,
) {
  if (
    value.patentNos.length > 0 &&
    !value.ipType?.endsWith('patent') &&
    value.ipType !== 'utility_model'
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['ipType'],
      message: '填写了专利号时，知识产权类型应为专利',
    })
  }
}

function checkBudgetRange(value: { budgetMin?: number; budgetMax?: number }, ctx: z.RefinementCtx) {
  if (
    value.budgetMin !== undefined &&
    value.budgetMax !== undefined &&
    value.budgetMin > value.budgetMax
  ) {
    ctx.addIssue({ code: 'custom', path: ['budgetMax'], message: '预算上限不能低于预算下限' })
  }
}

// ---- Forms ---------------------------------------------------------------------------------

export const resultFormSchema = z
  .object({
    title: requiredText('成果名称', L.listingTitle, L.listingTitleMin),
    summary: requiredText('成果简介', L.resultSummary, L.resultSummaryMin),
    description: optionalText('详细介绍', L.resultDescription),
    fieldCode: fieldCodeSchema,
    keywords: keywordsSchema,
    trl: trlSchema,
    ipType: ipTypeSchema,
    patentNos: patentNosSchema,
    transferModes: transferModesSchema,
    askingPrice: wanSchema('意向价格'),
    leadExpertId: optionalText('成果负责人', 40),
  })
  .superRefine(checkPatentsMatchIpType)

export type ResultInput = z.infer<typeof resultFormSchema>

export const needFormSchema = z
  .object({
    title: requiredText('需求名称', L.listingTitle, L.listingTitleMin),
    description: requiredText('需求描述', L.needDescription, L.needDescriptionMin),
    fieldCode: fieldCodeSchema,
    keywords: keywordsSchema,
    budgetMin: wanSchema('预算下限'),
    budgetMax: wanSchema('预算上限'),
    deadline: deadlineSchema,
    cooperationModes: cooperationModesSchema,
  })
  .superRefine(checkBudgetRange)

export type NeedInput = z.infer<typeof needFormSchema>

export const expertFormSchema = z.object({
  name: requiredText('专家姓名', L.personName),
  title: optionalText('职称', L.jobTitle),
  fields: listOf(fieldCodeSchema)
    .refine((list) => list.length >= 1, { message: '请至少选择一个技术领域' })
    .refine((list) => list.length <= 3, { message: '技术领域最多 3 个' }),
  keywords: keywordsSchema,
  bio: optionalText('个人简介', L.expertBio),
})

export type ExpertInput = z.infer<typeof expertFormSchema>

/** A rejection must say why: the owner sees the reason. */
export const rejectionReasonSchema = requiredText('驳回理由', 500, 4)

/** Optimistic locking: the version the editor started from. */
export const versionSchema = z.coerce
  .number({ message: '版本号缺失，请刷新页面后重试' })
  .int()
  .min(1)

// ---- Import rows (JSON Lines or CSV; names as in DESIGN.md) ---------------------------------

const externalIdSchema = optionalText('外部编号（externalId）', L.externalId)

export const orgImportSchema = z.object({
  externalId: externalIdSchema,
  name: organizationNameSchema,
  kind: z.enum(Object.values(OrgKind), {
    message: '单位类型（kind）应为 university、institute、enterprise、broker_agency 或 government',
  }),
  creditCode: z.preprocess(
    (value) => (value === '' ? undefined : value),
    creditCodeSchema.optional(),
  ),
  regionCode: regionCodeSchema,
  zone: optionalText('所在园区（zone）', L.zone),
  highTech: optionalBoolean,
  littleGiant: optionalBoolean,
})

export const expertImportSchema = z.object({
  externalId: externalIdSchema,
  name: requiredText('专家姓名（name）', L.personName),
  title: optionalText('职称（title）', L.jobTitle),
  org: requiredText('所属单位（org）', L.orgName),
  fields: listOf(fieldCodeSchema).refine((list) => list.length >= 1, {
    message: '技术领域（fields）至少一个',
  }),
  keywords: keywordsSchema,
  bio: optionalText('个人简介（bio）', L.expertBio),
})

export const resultImportSchema = z
  .object({
    externalId: externalIdSchema,
    title: requiredText('成果名称（title）', L.listingTitle, L.listingTitleMin),
    summary: requiredText('成果简介（summary）', L.resultSummary, L.resultSummaryMin),
    description: optionalText('详细介绍（description）', L.resultDescription),
    field: fieldCodeSchema,
    keywords: keywordsSchema,
    trl: trlSchema,
    ipType: ipTypeSchema,
    patentNos: patentNosSchema,
    transferModes: transferModesSchema,
    askingPrice: yuanSchema('意向价格（askingPrice）'),
    org: requiredText('所属单位（org）', L.orgName),
    leadExpert: optionalText('成果负责人（leadExpert）', L.externalId),
  })
  .superRefine(checkPatentsMatchIpType)

export const needImportSchema = z
  .object({
    externalId: externalIdSchema,
    title: requiredText('需求名称（title）', L.listingTitle, L.listingTitleMin),
    description: requiredText('需求描述（description）', L.needDescription, L.needDescriptionMin),
    field: fieldCodeSchema,
    keywords: keywordsSchema,
    budgetMin: yuanSchema('预算下限（budgetMin）'),
    budgetMax: yuanSchema('预算上限（budgetMax）'),
    deadline: deadlineSchema,
    cooperationModes: cooperationModesSchema,
    org: requiredText('发布企业（org）', L.orgName),
  })
  .superRefine(checkBudgetRange)

const isoDate = (name: string) =>
  z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce.date({ message: `${name}应为 ISO 8601 日期（如 2025-06-30）` }).optional(),
  )

export const dealImportSchema = z
  .object({
    externalId: externalIdSchema,
    title: optionalText('合同名称（title）', L.dealTitle),
    contractType: z.enum(Object.values(ContractType), {
      message: '合同类别（contractType）应为 development、transfer、license、consulting 或 service',
    }),
    subType: optionalText('合同子类（subType）', L.contractSubType),
    sellerOrg: requiredText('卖方单位（sellerOrg）', L.orgName),
    buyerOrg: requiredText('买方单位（buyerOrg）', L.orgName),
    // Required, so a row without it fails here rather than skipping the check.
    contractAmount: z.preprocess(
      (value) => (value === '' || value === null ? undefined : value),
      z.coerce
        .number({ message: '请填写合同金额（contractAmount）' })
        .finite('合同金额（contractAmount）应为数字')
        .positive('合同金额（contractAmount）应为正数')
        .max(MAX_YUAN, '合同金额（contractAmount）过大'),
    ),
    techTransactionAmount: yuanSchema('技术交易额（techTransactionAmount）'),
    status: z.enum(Object.values(DealStatus), { message: '合同状态（status）不正确' }),
    signedAt: isoDate('签约日期（signedAt）'),
    registeredAt: isoDate('登记日期（registeredAt）'),
    registrationNo: optionalText('登记编号（registrationNo）', 16).refine(
      (value) => value === undefined || REGISTRATION_NO.test(value),
      registrationNoProblem('登记编号（registrationNo）'),
    ),
    field: z.preprocess((value) => (value === '' ? undefined : value), fieldCodeSchema.optional()),
    result: optionalText('关联成果（result）', L.externalId),
    need: optionalText('关联需求（need）', L.externalId),
    broker: z.preprocess((value) => (value === '' ? undefined : value), emailSchema.optional()),
  })
  .superRefine((deal, ctx) => {
    const subTypes: readonly string[] = CONTRACT_SUBTYPES[deal.contractType]
    if (deal.subType && !subTypes.includes(deal.subType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subType'],
        message: `合同子类（subType）应为：${subTypes.join('、')}`,
      })
    }
    if (
      deal.techTransactionAmount !== undefined &&
      deal.contractAmount !== undefined &&
      deal.techTransactionAmount > deal.contractAmount
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['techTransactionAmount'],
        message: '技术交易额不能高于合同金额',
      })
    }
    const registered = isRegisteredDealStatus(deal.status)
    if (registered && (!deal.registeredAt || !deal.registrationNo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['registeredAt'],
        message: '已登记的合同必须有登记日期（registeredAt）和登记编号（registrationNo）',
      })
    }
    if (deal.signedAt && deal.registeredAt && deal.registeredAt < deal.signedAt) {
      ctx.addIssue({ code: 'custom', path: ['registeredAt'], message: '登记日期不能早于签约日期' })
    }
  })

export const importSchemas = {
  orgs: orgImportSchema,
  experts: expertImportSchema,
  results: resultImportSchema,
  needs: needImportSchema,
  deals: dealImportSchema,
} as const

export type ImportKind = keyof typeof importSchemas
