import { json } from '@remix-run/node'
import { z } from 'zod'

import { listingRules, type ListingKind } from '~/domain/listing-rules'
import { runOwnerIntent } from '~/models/listing.server'
import { readFormData } from '~/utils/forms.server'
import { redirectToSchema } from '~/validation/account'

import { redirectWithToast, requireUser } from './auth.server'

const intentSchema = z.enum(['submit', 'reconfirm', 'withdraw'])

/** The action behind a listing's owner buttons, as the owner rules of its status allow. */
export async function handleOwnerIntent(request: Request, kind: ListingKind, id: string) {
  const user = await requireUser(request)
  const formData = await readFormData(request)
  const intent = intentSchema.safeParse(formData.get('intent'))
  const back = redirectToSchema.safeParse(formData.get('redirectTo') ?? undefined)
  if (!intent.success) return json({ error: '未知的操作，请刷新页面后重试' }, { status: 400 })
  if (!user.org) throw new Response('信息不存在', { status: 404 })
  const outcome = await runOwnerIntent(kind, id, user, intent.data)
  if (!outcome.ok) {
    if (outcome.notFound) throw new Response('信息不存在', { status: 404 })
    return json({ error: outcome.reason }, { status: 409 })
  }
  const destination = (back.success && back.data) || `${listingRules[kind].path}/${id}`
  return redirectWithToast(request, destination, {
    kind: 'success',
    message: outcome.move.done,
  })
}
