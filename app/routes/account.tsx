import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { ErrorList, InputField } from '~/components/forms'
import { reviewsMemberships } from '~/domain/membership'
import { changePassword } from '~/models/user.server'
import { getSessionId, redirectWithToast, requireUser } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { roleLabels } from '~/utils/labels'
import { changePasswordSchema } from '~/validation/account'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ user })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const { submission } = await parseForm(request, changePasswordSchema)
  const hidden = ['currentPassword', 'newPassword', 'confirmPassword']
  if (submission.status !== 'success') {
    return json(submission.reply({ hideFields: hidden }), { status: 400 })
  }
  const result = await changePassword({
    userId: user.id,
    currentSessionId: (await getSessionId(request)) ?? '',
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.newPassword,
  })
  if ('fieldErrors' in result) {
    return json(submission.reply({ fieldErrors: result.fieldErrors, hideFields: hidden }), {
      status: 400,
    })
  }
  return redirectWithToast(request, '/account', {
    kind: 'success',
    message: '密码已修改，其他设备上的登录已全部退出',
  })
}

export default function AccountPage() {
  const { user } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'change-password',
    lastResult,
    constraint: getZodConstraint(changePasswordSchema),
    // Errors appear on the first submit, then follow each keystroke; validating on blur
    // would shift the layout under a pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  })
  return (
    <div className="stack">
      <h1>账户设置</h1>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">基本信息</h2>
        <dl className="facts">
          <dt>姓名</dt>
          <dd>{user.displayName}</dd>
          <dt>邮箱</dt>
          <dd>{user.email}</dd>
          <dt>角色</dt>
          <dd>{roleLabels[user.role]}</dd>
          <dt>所属单位</dt>
          <dd>
            {user.org?.name ?? '—'}
            {user.org && user.membership === 'pending' ? (
              <span className="status-badge status-badge--warn">加入申请审核中</span>
            ) : null}
          </dd>
        </dl>
        {reviewsMemberships(user) ? (
          <p>
            <Link to="/org/members">
              {user.canAdmit && user.org ? '审核本单位成员' : '审核加入单位的申请'}
            </Link>
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">修改密码</h2>
        <Form method="post" {...getFormProps(form)} className="narrow-form">
          <ErrorList id={form.errorId} errors={form.errors} />
          <InputField
            label="当前密码"
            field={fields.currentPassword}
            {...getInputProps(fields.currentPassword, { type: 'password' })}
            autoComplete="current-password"
          />
          <InputField
            label="新密码"
            field={fields.newPassword}
            help="至少 8 个字符，同时包含字母和数字"
            {...getInputProps(fields.newPassword, { type: 'password' })}
            autoComplete="new-password"
          />
          <InputField
            label="确认新密码"
            field={fields.confirmPassword}
            {...getInputProps(fields.confirmPassword, { type: 'password' })}
            autoComplete="new-password"
          />
          <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
            修改密码
          </button>
        </Form>
      </section>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '账户设置 · 西安科技大市场' }]
