import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'

import { ResultForm } from '~/components/result-form'
import { isEditable } from '~/domain/listing-rules'
import { canEditOrgListing } from '~/domain/membership'
import { listOrgExperts } from '~/models/expert.server'
import { getResultForViewer, updateResult } from '~/models/result.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { requireIdParam } from '~/utils/params'
import { resultFormSchema, versionSchema } from '~/validation/listings'

const NOT_FOUND = '该科技成果不存在，或您无权修改'
const notFound = () => new Response(NOT_FOUND, { status: 404 })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['researcher'])
  const result = await getResultForViewer(requireIdParam(params, 'resultId', NOT_FOUND), user)
  if (
    !result ||
    !user.org ||
    !canEditOrgListing(user, result) ||
    !isEditable('result', result.status)
  ) {
    throw notFound()
  }
  return json({ result, experts: await listOrgExperts(user.org.id) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params, 'resultId', NOT_FOUND)
  const user = await requireRole(request, ['researcher'])
  if (!user.org) throw notFound()
  const { formData, submission } = await parseForm(request, resultFormSchema)
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const version = versionSchema.safeParse(formData.get('version'))
  if (!version.success)
    return json(submission.reply({ formErrors: ['版本号缺失，请刷新页面后重试'] }), { status: 400 })
  // The organization and the version are both part of the update's where clause.
  const outcome = await updateResult(user, id, version.data, submission.value)
  if (!outcome.ok) {
    if (outcome.status === 404) throw notFound()
    return json(
      submission.reply({
        fieldErrors: outcome.fieldErrors,
        formErrors: outcome.formError ? [outcome.formError] : [],
      }),
      { status: outcome.status },
    )
  }
  return redirectWithToast(request, `/results/${outcome.id}`, {
    kind: 'success',
    message: '修改已保存',
  })
}

export default function EditResultPage() {
  const { result, experts } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const republish = result.status === 'published' || result.status === 'expired'
  return (
    <div className="stack">
      <p>
        <Link to={`/results/${result.id}`}>← 返回成果</Link>
      </p>
      <h1>修改科技成果</h1>
      {republish ? (
        <p className="notice">该成果已发布：保存修改后将重新进入审核，审核通过前不再公开。</p>
      ) : null}
      <ResultForm
        lastResult={lastResult}
        experts={experts}
        version={result.version}
        submitLabel="保存修改"
        defaultValue={{
          title: result.title,
          summary: result.summary,
          description: result.description ?? '',
          fieldCode: result.fieldCode,
          keywords: result.keywords.join('，'),
          trl: String(result.trl),
          ipType: result.ipType ?? '',
          patentNos: result.patentNos.join('\n'),
          transferModes: result.transferModes,
          askingPrice: result.askingPrice ? String(Number(result.askingPrice) / 10_000) : '',
          leadExpertId: result.leadExpertId ?? '',
        }}
      />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '修改科技成果 · 西安科技大市场' }]
