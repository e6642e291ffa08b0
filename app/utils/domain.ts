import type { DealStatus } from '~/generated/prisma/enums'

/** 技术合同成交额 counts contracts that reached registration, whatever happened after. */
export const REGISTERED_DEAL_STATUSES = [
  'registered',
  'performing',
  'completed',
] satisfies DealStatus[]

/** Region-code prefix of Xi'an: a party is local when its code starts with it. */
export const LOCAL_REGION_PREFIX = '6101'

/** The bureau's yearly target metrics, as stored in the Target table. */
export const TARGET_METRICS = {
  tradeValue: 'trade_value',
  localConversionRate: 'local_conversion_rate',
} as const
