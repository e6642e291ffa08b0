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
import { isResearchOrgKind } from '~/domain/constants'
import { createExpert, hasLinkedExpert } from '~/models/expert.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { expertFormSchema } from '~/validation/listings'

const expertCreateSchema = expertFormSchema.extend({
  linkToSelf: z.boolean({ message: '“这是我本人的专家档案”的取值不正确' }).optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['researcher'])
  const isResearchOrg = !!user.org && isResearchOrgKind(user.org.kind)
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

export default function NewExpertPage() {
  const { orgName, hasLinkedExpert } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    // Not "expert-new-title": conform gives the 职称 input that id (form id + field name).
    <section className="card stack" aria-labelledby="expert-new-heading">
      <h1 id="expert-new-heading">建立专家档案</h1>
      {orgName ? (
        <p className="muted">档案将归属于 {orgName}，本单位的科研人员都可以维护。</p>
      ) : (
        <p className="field-errors" role="alert">
          您的账号未关联高校或科研院所，无法创建专家档案，请联系平台管理员。
        </p>
      )}
      <ExpertForm
        id="expert-new"
        schema={expertCreateSchema}
        lastResult={lastResult}
        submitLabel="创建专家档案"
        submitDisabled={!orgName}
        cancelTo="/experts"
      >
        {(fields) => {
          const linkProps = getInputProps(fields.linkToSelf, {
            type: 'checkbox',
            ariaDescribedBy: hasLinkedExpert ? `${fields.linkToSelf.id}-help` : undefined,
          })
          return (
            <div className={fields.linkToSelf.errors ? 'field field--invalid' : 'field'}>
              <label className="role-choice__option">
                <input {...linkProps} disabled={hasLinkedExpert} />
                这是我本人的专家档案
              </label>
              {hasLinkedExpert ? (
                <p id={`${fields.linkToSelf.id}-help`} className="field-help">
                  您的账号已关联一份本人的专家档案。
                </p>
              ) : null}
              <ErrorList id={fields.linkToSelf.errorId} errors={fields.linkToSelf.errors} />
            </div>
          )
        }}
      </ExpertForm>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '建立专家档案 · 西安科技大市场' }]
