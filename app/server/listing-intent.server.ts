import { json } from '@remix-run/node'
import { z } from 'zod'

import { listingRules, type ListingKind, type OwnerIntent } from '~/domain/listing-rules'
import { runOwnerIntent } from '~/models/listing.server'
import { readFormData } from '~/utils/forms.server'
import { redirectToSchema } from '~/validation/account'

import { redirectWithToast, requireUser } from './auth.server'

const intentSchema = z.enum(['submit', 'reconfirm', 'withdraw'])

const doneMessages: Record<ListingKind, Record<OwnerIntent, string>> = {
  result: {
    submit: '已提交审核，审核通过后将公开发布',
    reconfirm: '已确认信息有效，公开有效期已延长 180 天',
    withdraw: '已撤回，该成果不再公开',
  },
  need: {
    submit: '已提交审核，审核通过后将公开征集',
    reconfirm: '已确认信息有效，公开有效期已延长 180 天',
    withdraw: '需求已关闭，不再公开征集',
  },
}

/** The action behind a listing's owner buttons (submit, re-confirm, withdraw or close). */
export async function handleOwnerIntent(request: Request, kind: ListingKind, id: string) {
  const user = await requireUser(request)
  const formData = await readFormData(request)
  const intent = intentSchema.safeParse(formData.get('intent'))
  const back = redirectToSchema.safeParse(formData.get('redirectTo') ?? undefined)
  if (!intent.success) return json({ error: '未知的操作，请刷新页面后重试' }, { status: 400 })
  if (!user.org) throw new Response('信息不存在', { status: 404 })
  const outcome = await runOwnerIntent(kind, id, user.org.id, intent.data)
  if (!outcome.ok) {
    if (outcome.notFound) throw new Response('信息不存在', { status: 404 })
    return json({ error: outcome.reason }, { status: 409 })
  }
  const destination = (back.success && back.data) || `${listingRules[kind].path}/${id}`
  return redirectWithToast(request, destination, {
    kind: 'success',
    message: doneMessages[kind][intent.data],
  })
}
