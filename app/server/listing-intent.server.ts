import { json } from '@remix-run/node'
import { z } from 'zod'

import { listingRules, type ListingKind } from '~/domain/listing-rules'
import { DEALS_PATH, startEnquiry } from '~/models/deal.server'
import { runOwnerIntent } from '~/models/listing.server'
import { giveMatchVerdict, type MatchPair } from '~/models/match.server'
import { readFormData } from '~/utils/forms.server'
import { redirectToSchema } from '~/validation/account'
import { ENQUIRE_INTENT, enquirySchema } from '~/validation/deals'
import { MATCH_VERDICT_INTENT, matchVerdictSchema } from '~/validation/matches'

import { redirectWithToast, requireUser, type SessionUser } from './auth.server'

const intentSchema = z.enum(['submit', 'reconfirm', 'withdraw'])

type PageKind = ListingKind | 'expert'

const PAGE_PATH: Record<PageKind, string> = {
  result: listingRules.result.path,
  need: listingRules.need.path,
  expert: '/experts',
}

/**
 * The actions of a listing's page (or an expert's): its owner's buttons, and the verdicts its
 * parties give on its matches. One form read, dispatched by intent.
 */
export async function handleListingAction(request: Request, kind: PageKind, id: string) {
  const user = await requireUser(request)
  const formData = await readFormData(request)
  if (formData.get('intent') === MATCH_VERDICT_INTENT) {
    return handleMatchVerdict(request, user, formData, kind, id)
  }
  if (formData.get('intent') === ENQUIRE_INTENT)
    return handleEnquiry(request, user, formData, kind, id)
  if (kind === 'expert') return json({ error: '未知的操作，请刷新页面后重试' }, { status: 400 })
  return handleOwnerIntent(request, user, formData, kind, id)
}

/** A listing's owner buttons, as the owner rules of its status allow. */
async function handleOwnerIntent(
  request: Request,
  user: SessionUser,
  formData: FormData,
  kind: ListingKind,
  id: string,
) {
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

/** 我要对接: starts (or opens) the deal with the listing's owner and goes to it. */
async function handleEnquiry(
  request: Request,
  user: SessionUser,
  formData: FormData,
  kind: PageKind,
  id: string,
) {
  const message = formData.get('message')
  const parsed = enquirySchema.safeParse({ message })
  if (!parsed.success) {
    return json(
      {
        enquiryError: parsed.error.issues[0]?.message ?? '留言有误',
        message: String(message ?? ''),
      },
      { status: 400 },
    )
  }
  const outcome = await startEnquiry(user, { kind, id }, parsed.data.message)
  if (!outcome.ok) {
    return json(
      { enquiryError: outcome.reason, message: parsed.data.message },
      { status: outcome.status },
    )
  }
  return redirectWithToast(request, `${DEALS_PATH}/${outcome.dealId}`, {
    kind: 'success',
    message: outcome.existing
      ? '您已就此发起过对接，已为您打开原洽谈'
      : '已发起对接，对方已收到通知，可在此继续沟通',
  })
}

/** 感兴趣 or 不合适 on one of the page's matches, for the side the page's listing is on. */
async function handleMatchVerdict(
  request: Request,
  user: SessionUser,
  formData: FormData,
  kind: PageKind,
  id: string,
) {
  const parsed = matchVerdictSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) {
    return json({ error: parsed.error.issues[0]?.message ?? '提交的内容有误' }, { status: 400 })
  }
  const { candidateKind, candidateId, verdict, reason } = parsed.data
  // A need pairs with results and experts; results and experts pair with needs.
  let pair: MatchPair
  if (kind === 'need' && candidateKind !== 'need') {
    pair = { needId: id, offer: { kind: candidateKind, id: candidateId } }
  } else if (kind !== 'need' && candidateKind === 'need') {
    pair = { needId: candidateId, offer: { kind, id } }
  } else {
    return json({ error: '匹配对象的类型无效' }, { status: 400 })
  }
  const outcome = await giveMatchVerdict(user, {
    pair,
    side: kind === 'need' ? 'need' : 'offer',
    verdict,
    reason,
  })
  if (!outcome.ok) return json({ error: outcome.reason }, { status: outcome.status })
  return redirectWithToast(request, `${PAGE_PATH[kind]}/${id}`, {
    kind: 'success',
    message:
      verdict === 'declined'
        ? '已标记为不合适，这条推荐不会再出现'
        : outcome.unchanged
          ? '您已表示过感兴趣，对方已收到通知'
          : outcome.bothInterested
            ? '双方均已表示感兴趣，可以联系对方或请技术经纪人协助对接'
            : '已标记为感兴趣，并已通知对方',
  })
}
