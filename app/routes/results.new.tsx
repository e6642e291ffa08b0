import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'

import { ResultForm } from '~/components/result-form'
import { listOrgExperts } from '~/models/expert.server'
import { createResult } from '~/models/result.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { resultFormSchema } from '~/validation/listings'

async function requireResearcherOrg(request: Request) {
  const user = await requireRole(request, ['researcher'])
  if (!user.org) throw new Response('您的账号未关联单位，无法发布科技成果', { status: 403 })
  return { user, org: user.org }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { org } = await requireResearcherOrg(request)
  return json({ experts: await listOrgExperts(org.id) })
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireResearcherOrg(request)
  const { submission } = await parseForm(request, resultFormSchema)
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const outcome = await createResult(user, submission.value)
  if (!outcome.ok)
    return json(submission.reply({ fieldErrors: outcome.fieldErrors }), { status: outcome.status })
  return redirectWithToast(request, `/results/${outcome.id}`, {
    kind: 'success',
    message: '已保存为草稿：确认无误后点击“提交审核”，审核通过即公开发布',
  })
}

export default function NewResultPage() {
  const { experts } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <div className="stack">
      <h1>发布科技成果</h1>
      <p className="muted">
        保存后为草稿；提交审核并通过后在平台公开，公开有效期 180 天，到期前可一键确认延长。
      </p>
      <ResultForm lastResult={lastResult} experts={experts} submitLabel="保存草稿" />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '发布科技成果 · 西安科技大市场' }]
