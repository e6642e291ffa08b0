import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { TEXT_LIMITS } from '~/domain/limits'
import { computePatentCheckDigit } from '~/domain/patent-number'

import {
  dealImportSchema,
  importSchemas,
  needFormSchema,
  resultFormSchema,
  resultImportSchema,
} from './listings'

const validResult = {
  title: '高镍三元正极材料低成本制备技术',
  summary:
    '采用共沉淀与固相烧结联用工艺，制备的高镍三元正极材料首次放电比容量达 205 mAh/g，成本降低 18%。',
  field: '804',
  keywords: '正极材料;高镍;锂电池',
  trl: '6',
  ipType: 'invention_patent',
  patentNos: `ZL202310123456.${computePatentCheckDigit('202310123456')}`,
  transferModes: 'license;transfer',
  askingPrice: '1500000',
  org: '西安交通大学',
}

function messagesOf(result: {
  success: boolean
  error?: { issues: { path: PropertyKey[]; message: string }[] }
}) {
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]),
  )
}

describe('listing schemas', () => {
  test('a CSV-shaped result row parses into typed values', () => {
    const parsed = resultImportSchema.parse(validResult)
    expect(parsed).toMatchObject({
      field: '804',
      keywords: ['正极材料', '高镍', '锂电池'],
      trl: 6,
      transferModes: ['license', 'transfer'],
      askingPrice: 1_500_000,
      patentNos: [validResult.patentNos],
    })
  })

  test.each([
    [{ title: '' }, 'title', '请填写成果名称（title）'],
    [
      { title: '长'.repeat(TEXT_LIMITS.listingTitle + 1) },
      'title',
      `成果名称（title）不能超过 ${TEXT_LIMITS.listingTitle} 个字符`,
    ],
    [{ field: '999' }, 'field', '技术领域代码“999”不存在'],
    [{ trl: '10' }, 'trl', '技术成熟度（TRL）应为 1–9 的整数'],
    [{ trl: '3.5' }, 'trl', '技术成熟度（TRL）应为 1–9 的整数'],
    [
      { patentNos: 'ZL202310123456.1' },
      'patentNos.0',
      '专利号“ZL202310123456.1”格式不正确（应如 ZL202310123456.7，末位为校验位）',
    ],
    [{ transferModes: '' }, 'transferModes', '请至少选择一种转化方式'],
    [{ transferModes: 'sell' }, 'transferModes.0', '转化方式不正确'],
    [{ askingPrice: '-5' }, 'askingPrice', '意向价格（askingPrice）不能为负数'],
    [{ ipType: 'software_copyright' }, 'ipType', '填写了专利号时，知识产权类型应为专利'],
  ])('a bad result row names the field: %o', (change, path, message) => {
    expect(messagesOf(resultImportSchema.safeParse({ ...validResult, ...change }))[path]).toBe(
      message,
    )
  })

  test('form prices are typed in 万元 and stored in yuan; blank means 面议', () => {
    const base = { ...validResult, fieldCode: '804', patentNos: '', ipType: '' }
    expect(resultFormSchema.parse({ ...base, askingPrice: '12.5' }).askingPrice).toBe(125_000)
    expect(resultFormSchema.parse({ ...base, askingPrice: '' }).askingPrice).toBeUndefined()
  })

  test('needs refuse inverted budgets and past deadlines', () => {
    const need = {
      title: '高温合金叶片精密铸造缺陷检测',
      description: '我公司在涡轮叶片精密铸造中存在疏松、夹杂检出率低的问题，需要在线无损检测技术。',
      fieldCode: '502',
      cooperationModes: 'commissioned_development',
    }
    expect(
      messagesOf(needFormSchema.safeParse({ ...need, budgetMin: '50', budgetMax: '20' })).budgetMax,
    ).toBe('预算上限不能低于预算下限')
    expect(messagesOf(needFormSchema.safeParse({ ...need, budgetMin: '-1' })).budgetMin).toBe(
      '预算下限不能为负数',
    )
    expect(messagesOf(needFormSchema.safeParse({ ...need, deadline: '2020-01-01' })).deadline).toBe(
      '截止日期不能早于今天',
    )
    expect(needFormSchema.parse({ ...need, budgetMin: '20', budgetMax: '50' })).toMatchObject({
      budgetMin: 200_000,
      budgetMax: 500_000,
    })
  })

  test('deal rows follow the registration rules', () => {
    const deal = {
      contractType: 'development',
      subType: '专利权转让',
      sellerOrg: '西北工业大学',
      buyerOrg: '西安某企业',
      contractAmount: '300000',
      techTransactionAmount: '400000',
      status: 'registered',
    }
    const messages = messagesOf(dealImportSchema.safeParse(deal))
    expect(messages.subType).toBe('合同子类（subType）应为：委托开发、合作开发')
    expect(messages.techTransactionAmount).toBe('技术交易额不能高于合同金额')
    expect(messages.registeredAt).toBe(
      '已登记的合同必须有登记日期（registeredAt）和登记编号（registrationNo）',
    )
  })

  test('random input never throws: every schema answers with data or issues', () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
    )
    for (const schema of Object.values(importSchemas)) {
      fc.assert(
        fc.property(fc.dictionary(fc.string({ maxLength: 15 }), anyValue), (row) => {
          const result = schema.safeParse(row)
          expect(typeof result.success).toBe('boolean')
        }),
        { numRuns: 300 },
      )
    }
  })
})
