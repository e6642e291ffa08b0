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
import { getResetTarget, resetPassword } from '~/models/password-reset.server'
import { redirectWithToast } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { rateLimits } from '~/utils/rate-limit.server'
import { resetPasswordSchema } from '~/validation/account'

const INVALID_LINK = '该重置链接无效、已使用或已过期，请重新申请。'

function tokenFrom(request: Request) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  return resetPasswordSchema.shape.token.safeParse(token).success ? token : null
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenFrom(request)
  const target = token ? await getResetTarget(token) : null
  if (!token || !target) return json({ token: null, email: null }, { status: 400 })
  return json({ token, email: target.email })
}

export async function action({ request }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, resetPasswordSchema)
  const hidden = ['newPassword', 'confirmPassword']
  if (submission.status !== 'success') {
    return json(submission.reply({ hideFields: hidden }), { status: 400 })
  }
  const outcome = await resetPassword(submission.value)
  if (!outcome.ok) {
    return json(submission.reply({ formErrors: [INVALID_LINK], hideFields: hidden }), {
      status: 400,
    })
  }
  // Whoever was guessing this account's old password starts over against the new one.
  await rateLimits.login.forgetAccount(outcome.email)
  return redirectWithToast(request, '/login', {
    kind: 'success',
    message: '密码已重置，所有设备上的登录均已退出，请使用新密码登录',
  })
}

export default function ResetPasswordPage() {
  const { token, email } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'reset-password',
    lastResult,
    constraint: getZodConstraint(resetPasswordSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  })
  return (
    <section className="auth-card" aria-labelledby="reset-title">
      <h1 id="reset-title">设置新密码</h1>
      {token ? (
        <Form method="post" {...getFormProps(form)}>
          <p className="muted">为账号 {email} 设置新密码。设置后，所有设备上的登录都将退出。</p>
          <input type="hidden" name="token" value={token} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <InputField
            label="新密码"
            field={fields.newPassword}
            help="至少 8 个字符，同时包含字母和数字"
            {...getInputProps(fields.newPassword, { type: 'password' })}
            autoComplete="new-password"
            autoFocus
          />
          <InputField
            label="确认新密码"
            field={fields.confirmPassword}
            {...getInputProps(fields.confirmPassword, { type: 'password' })}
            autoComplete="new-password"
          />
          <button
            type="submit"
            className="button button--wide"
            disabled={navigation.state === 'submitting'}
          >
            设置新密码
          </button>
        </Form>
      ) : (
        <p className="notice notice--error" role="alert">
          {INVALID_LINK}
        </p>
      )}
      <p className="auth-card__alt">
        <Link to="/forgot-password">重新申请重置链接</Link> · <Link to="/login">返回登录</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '设置新密码 · 西安科技大市场' }]
