import { z } from 'zod'

import { CONTRACT_SUBTYPES } from '~/domain/constants'
import {
  COMMISSION_MAX_RATE,
  DEAL_PATH,
  MESSAGE_MAX_LENGTH,
  REGISTRATION_NO,
  registrationNoProblem,
} from '~/domain/deals'
import { ContractType } from '~/generated/prisma/enums'

import { optionalText, requiredText, versionSchema, wanSchema } from './listings'

/** The intent of a listing page's 我要对接 form. */
export const ENQUIRE_INTENT = 'enquire'

/** An enquiry's first message (我要对接), which opens the deal room. */
export const enquirySchema = z.object({
  message: requiredText('留言', MESSAGE_MAX_LENGTH, 2),
})

/** A message said in a deal room. */
export const dealMessageSchema = requiredText('消息', MESSAGE_MAX_LENGTH)

const dealDate = (name: string) =>
  z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce
      .date({ message: `${name}格式不正确（应如 2026-06-30）` })
      .refine((date) => !Number.isNaN(date.getTime()), `${name}格式不正确（应如 2026-06-30）`)
      .refine((date) => date <= new Date(Date.now() + 86_400_000), `${name}不能晚于今天`),
  )

const contractTypeSchema = z.enum(Object.values(ContractType), { message: '请选择合同类别' })

/** The terms fixed at signing, in 万元 on the form and yuan from here on. */
const signingSchema = z
  .object({
    contractType: contractTypeSchema,
    subType: optionalText('合同子类', 30),
    contractAmount: wanSchema('合同金额').pipe(
      z.number({ message: '请填写合同金额' }).positive('合同金额应为正数'),
    ),
    techTransactionAmount: wanSchema('技术交易额'),
    signedAt: dealDate('签约日期'),
  })
  .superRefine((terms, ctx) => {
    const subTypes: readonly string[] = CONTRACT_SUBTYPES[terms.contractType]
    if (terms.subType && !subTypes.includes(terms.subType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subType'],
        message: `合同子类应为：${subTypes.join('、')}`,
      })
    }
    if (
      terms.techTransactionAmount !== undefined &&
      terms.techTransactionAmount > terms.contractAmount
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['techTransactionAmount'],
        message: '技术交易额不能超过合同金额',
      })
    }
  })

/** What the registration office records (技术合同认定登记). */
const registrationSchema = z.object({
  registrationNo: requiredText('登记编号', 16).pipe(
    z.string().regex(REGISTRATION_NO, registrationNoProblem('登记编号')),
  ),
  registeredAt: dealDate('登记日期'),
  /** 核定技术交易额: the technology part of the amount, as the office assessed it. */
  techTransactionAmount: wanSchema('核定技术交易额').pipe(
    z.number({ message: '请填写核定技术交易额' }),
  ),
})

const statusSchema = z.enum([...DEAL_PATH, 'cancelled'], { message: '未知的合同状态' })

/** A step of a deal, as its page's forms post it. */
export const dealMoveSchema = z.discriminatedUnion(
  'to',
  [
    z.object({
      to: z.literal('signed'),
      version: versionSchema,
      note: optionalText('备注', 500),
      terms: signingSchema,
    }),
    z.object({
      to: z.literal('registered'),
      version: versionSchema,
      note: optionalText('备注', 500),
      registration: registrationSchema,
    }),
    z.object({
      to: z.literal('cancelled'),
      version: versionSchema,
      reason: requiredText('取消原因', 200, 2),
      note: optionalText('备注', 500),
    }),
    z.object({
      to: statusSchema.exclude(['signed', 'registered', 'cancelled']),
      version: versionSchema,
      note: optionalText('备注', 500),
    }),
  ],
  { message: '未知的合同状态' },
)

export type DealMoveInput = z.infer<typeof dealMoveSchema>

/** Reads a move from a form's flat fields (terms and registration fields by their names). */
export function dealMoveFromForm(form: Record<string, FormDataEntryValue>) {
  const text = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined)
  return dealMoveSchema.safeParse({
    to: text('to'),
    version: text('version'),
    note: text('note'),
    reason: text('reason'),
    terms: {
      contractType: text('contractType'),
      subType: text('subType'),
      contractAmount: text('contractAmount'),
      techTransactionAmount: text('techTransactionAmount'),
      signedAt: text('signedAt'),
    },
    registration: {
      registrationNo: text('registrationNo'),
      registeredAt: text('registeredAt'),
      techTransactionAmount: text('assessedAmount'),
    },
  })
}

/** A broker taking up a deal. */
export const takeUpSchema = z.object({ version: versionSchema })

/** The broker's commission: a share of the contract (in % on the form) or a fixed fee (万元). */
export const commissionSchema = z.discriminatedUnion(
  'basis',
  [
    z.object({
      basis: z.literal('rate'),
      version: versionSchema,
      percent: z.preprocess(
        (value) => (value === '' ? undefined : value),
        z.coerce
          .number({ message: '佣金比例应为数字' })
          .finite('佣金比例应为数字')
          .gt(0, '佣金比例应大于 0')
          .max(COMMISSION_MAX_RATE * 100, `佣金比例不能超过 ${COMMISSION_MAX_RATE * 100}%`),
      ),
    }),
    z.object({
      basis: z.literal('fixed'),
      version: versionSchema,
      amount: wanSchema('固定佣金').pipe(z.number({ message: '请填写固定佣金' })),
    }),
  ],
  { message: '请选择佣金方式' },
)

export type CommissionInput = z.infer<typeof commissionSchema>

/** A deal a broker starts between two organizations, named as registered. */
export const directDealSchema = z.object({
  sellerOrg: requiredText('卖方单位', 100),
  buyerOrg: requiredText('买方单位', 100),
  title: requiredText('合同名称', 100, 2),
  message: optionalText('留言', MESSAGE_MAX_LENGTH),
})

export type DirectDealInput = z.infer<typeof directDealSchema>
