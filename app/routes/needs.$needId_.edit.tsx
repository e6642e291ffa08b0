import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'

import { NeedForm } from '~/components/need-form'
import { isEditable } from '~/domain/listing-rules'
import { canEditOrgListing } from '~/domain/membership'
import { getNeedForViewer, updateNeed } from '~/models/need.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { requireIdParam } from '~/utils/params'
import { needFormSchema, versionSchema } from '~/validation/listings'

const NOT_FOUND = '该技术需求不存在，或您无权修改'
const notFound = () => new Response(NOT_FOUND, { status: 404 })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['enterprise'])
  const need = await getNeedForViewer(requireIdParam(params, 'needId', NOT_FOUND), user)
  if (!need || !canEditOrgListing(user, need) || !isEditable('need', need.status)) {
    throw notFound()
  }
  return json({ need })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params, 'needId', NOT_FOUND)
  const user = await requireRole(request, ['enterprise'])
  if (!user.org) throw notFound()
  const { formData, submission } = await parseForm(request, needFormSchema)
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const version = versionSchema.safeParse(formData.get('version'))
  if (!version.success) {
    return json(submission.reply({ formErrors: ['版本号缺失，请刷新页面后重试'] }), { status: 400 })
  }
  // The organization and the version are both part of the update's where clause.
  const outcome = await updateNeed(user, id, version.data, submission.value)
  if (!outcome.ok) {
    if (outcome.status === 404) throw notFound()
    return json(submission.reply({ formErrors: outcome.formError ? [outcome.formError] : [] }), {
      status: outcome.status,
    })
  }
  return redirectWithToast(request, `/needs/${outcome.id}`, {
    kind: 'success',
    message: '修改已保存',
  })
}

export default function EditNeedPage() {
  const { need } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const republish = need.status === 'open' || need.status === 'expired'
  const toWan = (yuan: string | null) => (yuan ? String(Number(yuan) / 10_000) : '')
  return (
    <div className="stack">
      <p>
        <Link to={`/needs/${need.id}`}>← 返回需求</Link>
      </p>
      <h1>修改技术需求</h1>
      {republish ? (
        <p className="notice">该需求正在公开征集：保存修改后将重新进入审核，审核通过前不再公开。</p>
      ) : null}
      <NeedForm
        lastResult={lastResult}
        version={need.version}
        submitLabel="保存修改"
        defaultValue={{
          title: need.title,
          description: need.description,
          fieldCode: need.fieldCode,
          keywords: need.keywords.join('，'),
          budgetMin: toWan(need.budgetMin),
          budgetMax: toWan(need.budgetMax),
          deadline: need.deadline ? need.deadline.slice(0, 10) : '',
          cooperationModes: need.cooperationModes,
        }}
      />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '修改技术需求 · 西安科技大市场' }]
