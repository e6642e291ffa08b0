import { z } from 'zod'

import { MATCH_DECLINE_REASONS } from '~/domain/matches'

export const MATCH_VERDICT_INTENT = 'match-verdict'

/**
 * A party's verdict from a listing's match list. The listing is the page's own; the form
 * names only the other listing of the pair, and whose side the user speaks for is checked by
 * the model, never taken from the form.
 */
export const matchVerdictSchema = z
  .object({
    intent: z.literal(MATCH_VERDICT_INTENT),
    candidateKind: z.enum(['result', 'expert', 'need'], { message: '匹配对象的类型无效' }),
    candidateId: z
      .string({ message: '缺少匹配对象' })
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '匹配对象的编号无效'),
    verdict: z.enum(['interested', 'declined'], { message: '请选择“感兴趣”或“不合适”' }),
    reason: z.enum(MATCH_DECLINE_REASONS, { message: '请选择不合适的原因' }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.verdict === 'declined' && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '请选择不合适的原因' })
    }
  })
