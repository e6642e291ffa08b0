import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { ErrorList, Field, InputField } from '~/components/forms'
import { EXPERT_CONFLICT_MESSAGE, getEditableExpert, updateExpert } from '~/models/expert.server'
import { redirectWithToast, requireUser } from '~/utils/auth.server'
import { parseForm } from '~/utils/forms.server'
import { highTechFields } from '~/utils/reference'
import { expertFormSchema } from '~/validation/listings'

// The row's updatedAt when the form was opened: the optimistic-locking token.
const expertEditSchema = expertFormSchema.extend({
  updatedAt: z.iso.datetime({ message: '表单缺少版本信息，请刷新页面后重试' }),
})

// Same answer whether the expert is missing or not the user's to edit: nothing to act on here.
const notFound = () => new Response('未找到该专家档案，或您无权编辑', { status: 404 })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const expert = await getEditableExpert(user, params.expertId ?? '')
  if (!expert) throw notFound()
  return json({ expert })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const expertId = params.expertId ?? ''
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

// Field renders help text but only InputField points at it; the select and textarea do it here.
function joinIds(...ids: (string | undefined)[]) {
  return ids.filter(Boolean).join(' ') || undefined
}

export default function EditExpertPage() {
  const { expert } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'expert-edit',
    lastResult,
    defaultValue: {
      name: expert.name,
      title: expert.title ?? '',
      // conform types a preprocessed list's default as a string; a multiple select takes the array.
      fields: expert.fields as unknown as string,
      keywords: expert.keywords.join('，'),
      bio: expert.bio ?? '',
      updatedAt: expert.updatedAt,
    },
    constraint: getZodConstraint(expertEditSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: expertEditSchema }),
  })
  // Item errors (an unknown code, an over-long keyword) belong to the whole list's control.
  // conform's metadata exposes id and errors as getters, so a spread copy would lose them.
  const listMeta = (field: typeof fields.fields | typeof fields.keywords) => ({
    id: field.id,
    errorId: field.errorId,
    errors: Object.values(field.allErrors).flat(),
  })
  const fieldsMeta = listMeta(fields.fields)
  const keywordsMeta = listMeta(fields.keywords)
  const selectedFields = ([] as unknown[]).concat(fields.fields.initialValue ?? []).map(String)
  const fieldsProps = getSelectProps(fields.fields, { ariaInvalid: 'allErrors' })
  const bioProps = getTextareaProps(fields.bio)
  return (
    <section className="card stack" aria-labelledby="expert-edit-title">
      <h1 id="expert-edit-title">编辑专家档案</h1>
      <p className="muted">所属单位：{expert.org.name}</p>
      <Form method="post" {...getFormProps(form)} className="narrow-form">
        <ErrorList id={form.errorId} errors={form.errors} />
        <ErrorList id={fields.updatedAt.errorId} errors={fields.updatedAt.errors} />
        <input {...getInputProps(fields.updatedAt, { type: 'hidden' })} />
        <InputField
          label="专家姓名"
          field={fields.name}
          {...getInputProps(fields.name, { type: 'text' })}
          maxLength={50}
          autoComplete="off"
        />
        <InputField
          label="职称"
          field={fields.title}
          help="如 教授、研究员、高级工程师（选填）"
          {...getInputProps(fields.title, { type: 'text' })}
          maxLength={50}
        />
        <Field label="技术领域" field={fieldsMeta} help="按住 Ctrl（Mac 上为 ⌘）可多选，最多 3 个">
          <select
            {...fieldsProps}
            multiple
            size={10}
            defaultValue={selectedFields}
            aria-describedby={joinIds(fieldsProps['aria-describedby'], `${fields.fields.id}-help`)}
          >
            {highTechFields.map((field) => (
              <optgroup key={field.code} label={field.name}>
                <option value={field.code}>{field.name}（整个领域）</option>
                {field.children.map((child) => (
                  <option key={child.code} value={child.code}>
                    {child.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </Field>
        <InputField
          label="关键词"
          field={keywordsMeta}
          help="研究方向关键词，用逗号分隔，最多 10 个，每个不超过 20 字"
          {...getInputProps(fields.keywords, { type: 'text', ariaInvalid: 'allErrors' })}
          required={false}
          multiple={false}
        />
        <Field label="个人简介" field={fields.bio} help="选填，不超过 2000 字">
          <textarea
            {...bioProps}
            rows={6}
            maxLength={2000}
            aria-describedby={joinIds(bioProps['aria-describedby'], `${fields.bio.id}-help`)}
          />
        </Field>
        <p>
          <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? '正在保存…' : '保存'}
          </button>{' '}
          <Link to={`/experts/${expert.id}`} className="button button--ghost">
            取消
          </Link>
        </p>
      </Form>
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
