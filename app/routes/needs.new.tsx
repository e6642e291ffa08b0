import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData } from '@remix-run/react'

import { NeedForm } from '~/components/need-form'
import { createNeed } from '~/models/need.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { needFormSchema } from '~/validation/listings'

async function requireEnterpriseOrg(request: Request) {
  const user = await requireRole(request, ['enterprise'])
  if (!user.org) throw new Response('您的账号未关联企业，无法发布技术需求', { status: 403 })
  return user
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireEnterpriseOrg(request)
  return json({})
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireEnterpriseOrg(request)
  const { submission } = await parseForm(request, needFormSchema)
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const outcome = await createNeed(user, submission.value)
  if (!outcome.ok)
    return json(submission.reply({ fieldErrors: outcome.fieldErrors }), { status: outcome.status })
  return redirectWithToast(request, `/needs/${outcome.id}`, {
    kind: 'success',
    message: '已保存为草稿：确认无误后点击“提交审核”，审核通过即公开征集',
  })
}

export default function NewNeedPage() {
  const lastResult = useActionData<typeof action>()
  return (
    <div className="stack">
      <h1>发布技术需求</h1>
      <p className="muted">
        保存后为草稿；提交审核并通过后公开征集，公开有效期 180 天，到期前可一键确认延长。
      </p>
      <NeedForm lastResult={lastResult} submitLabel="保存草稿" />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '发布技术需求 · 西安科技大市场' }]
