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
import { createExpert, hasLinkedExpert } from '~/models/expert.server'
import { redirectWithToast, requireRole } from '~/utils/auth.server'
import { parseForm } from '~/utils/forms.server'
import { highTechFields } from '~/utils/reference'
import { expertFormSchema } from '~/validation/listings'

const expertCreateSchema = expertFormSchema.extend({
  linkToSelf: z.boolean({ message: '“这是我本人的专家档案”的取值不正确' }).optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['researcher'])
  const isResearchOrg = user.org?.kind === 'university' || user.org?.kind === 'institute'
  return json({
    orgName: isResearchOrg ? (user.org?.name ?? null) : null,
    hasLinkedExpert: await hasLinkedExpert(user.id),
  })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ['researcher'])
  const { submission } = await parseForm(request, expertCreateSchema)
  if (submission.status !== 'success') {
    return json(submission.reply(), { status: 400 })
  }
  const result = await createExpert(user, submission.value)
  if ('errors' in result) {
    return json(submission.reply(result.errors), { status: 400 })
  }
  return redirectWithToast(request, `/experts/${result.expert.id}`, {
    kind: 'success',
    message: `专家档案“${submission.value.name}”已创建`,
  })
}

// Field renders help text but only InputField points at it; the select and textarea do it here.
function joinIds(...ids: (string | undefined)[]) {
  return ids.filter(Boolean).join(' ') || undefined
}

export default function NewExpertPage() {
  const { orgName, hasLinkedExpert } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'expert-new',
    lastResult,
    constraint: getZodConstraint(expertCreateSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: expertCreateSchema }),
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
  const linkProps = getInputProps(fields.linkToSelf, { type: 'checkbox' })
  return (
    <section className="card stack" aria-labelledby="expert-new-title">
      <h1 id="expert-new-title">新建专家档案</h1>
      {orgName ? (
        <p className="muted">档案将归属于 {orgName}，本单位的科研人员都可以维护。</p>
      ) : (
        <p className="field-errors" role="alert">
          您的账号未关联高校或科研院所，无法创建专家档案，请联系平台管理员。
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="narrow-form">
        <ErrorList id={form.errorId} errors={form.errors} />
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
        <div className={fields.linkToSelf.errors ? 'field field--invalid' : 'field'}>
          <label className="role-choice__option">
            <input
              {...linkProps}
              disabled={hasLinkedExpert}
              aria-describedby={joinIds(
                linkProps['aria-describedby'],
                hasLinkedExpert ? `${fields.linkToSelf.id}-help` : undefined,
              )}
            />
            这是我本人的专家档案
          </label>
          {hasLinkedExpert ? (
            <p id={`${fields.linkToSelf.id}-help`} className="field-help">
              您的账号已关联一份本人的专家档案。
            </p>
          ) : null}
          <ErrorList id={fields.linkToSelf.errorId} errors={fields.linkToSelf.errors} />
        </div>
        <p>
          <button
            type="submit"
            className="button"
            disabled={!orgName || navigation.state === 'submitting'}
          >
            {navigation.state === 'submitting' ? '正在保存…' : '创建专家档案'}
          </button>{' '}
          <Link to="/experts" className="button button--ghost">
            取消
          </Link>
        </p>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '新建专家档案 · 西安科技大市场' }]
