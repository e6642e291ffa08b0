import { getInputProps } from '@conform-to/react'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import { ExpertForm } from '~/components/expert-form'
import { ErrorList } from '~/components/forms'
import { EXPERT_CONFLICT_MESSAGE, getEditableExpert, updateExpert } from '~/models/expert.server'
import { redirectWithToast, requireUser } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { requireIdParam } from '~/utils/params'
import { expertFormSchema } from '~/validation/listings'

// The row's updatedAt when the form was opened: the optimistic-locking token.
const expertEditSchema = expertFormSchema.extend({
  updatedAt: z.iso.datetime({ message: '表单缺少版本信息，请刷新页面后重试' }),
})

// Same answer whether the expert is missing or not the user's to edit: nothing to act on here.
const NOT_FOUND = '未找到该专家档案，或您无权编辑'
const notFound = () => new Response(NOT_FOUND, { status: 404 })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const expert = await getEditableExpert(user, requireIdParam(params, 'expertId', NOT_FOUND))
  if (!expert) throw notFound()
  return json({ expert })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const expertId = requireIdParam(params, 'expertId', NOT_FOUND)
  // Permission first, so that someone who may not edit learns nothing from validation errors.
  if (!(await getEditableExpert(user, expertId))) throw notFound()
  const { submission } = await parseForm(request, expertEditSchema)
  if (submission.status !== 'success') {
    return json(submission.reply(), { status: 400 })
  }
  const { updatedAt, ...input } = submission.value
  const result = await updateExpert(user, expertId, new Date(updatedAt), input)
  switch (result.status) {
    case 'conflict':
      return json(submission.reply({ formErrors: [EXPERT_CONFLICT_MESSAGE] }), { status: 409 })
    case 'not_found':
      throw notFound()
    case 'updated':
      return redirectWithToast(request, `/experts/${expertId}`, {
        kind: 'success',
        message: '专家档案已保存',
      })
  }
}

export default function EditExpertPage() {
  const { expert } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    // Not "expert-edit-title": conform gives the 职称 input that id (form id + field name).
    <section className="card stack" aria-labelledby="expert-edit-heading">
      <h1 id="expert-edit-heading">编辑专家档案</h1>
      <p className="muted">所属单位：{expert.org.name}</p>
      <ExpertForm
        id="expert-edit"
        schema={expertEditSchema}
        lastResult={lastResult}
        defaultValue={{
          name: expert.name,
          title: expert.title ?? '',
          // conform types a preprocessed list's default as a string; a multiple select takes the array.
          fields: expert.fields as unknown as string,
          keywords: expert.keywords.join('，'),
          bio: expert.bio ?? '',
          updatedAt: expert.updatedAt,
        }}
        submitLabel="保存"
        cancelTo={`/experts/${expert.id}`}
      >
        {(fields) => (
          <>
            <ErrorList id={fields.updatedAt.errorId} errors={fields.updatedAt.errors} />
            <input {...getInputProps(fields.updatedAt, { type: 'hidden' })} />
          </>
        )}
      </ExpertForm>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `编辑 ${data.expert.name} · 专家 · 西安科技大市场`
      : '编辑专家档案 · 西安科技大市场',
  },
]
