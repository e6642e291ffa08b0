import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'

import { ErrorList, Honeypot, InputField } from '~/components/forms'
import { requestPasswordReset } from '~/models/password-reset.server'
import { requireAnonymous } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { formatRetryAfter, rateLimits } from '~/utils/rate-limit.server'
import { forgotPasswordSchema } from '~/validation/account'

/** The same words whether or not an account has the address, so nobody learns which exist. */
const SENT_MESSAGE =
  '如果该邮箱已在平台注册，我们已向它发送了重置密码的链接，1 小时内有效且只能使用一次。没有收到？请检查垃圾邮件，或联系平台管理员。'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return json({})
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const { formData, submission } = await parseForm(request, forgotPasswordSchema)
  if (formData.get('website')) {
    return json(submission.reply({ formErrors: ['提交未通过校验，请刷新页面后重试'] }), {
      status: 400,
    })
  }
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const limit = await rateLimits.passwordResetPerAddress.hit(context.clientIp)
  if (!limit.allowed) {
    return json(
      submission.reply({
        formErrors: [`申请过于频繁，请 ${formatRetryAfter(limit.retryAfterSeconds)}后再试`],
      }),
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
    )
  }
  const { email } = submission.value
  // A full inbox quota is not reported either: it would tell that the address has an account.
  if ((await rateLimits.passwordResetPerAccount.hit(email)).allowed) {
    // Not awaited: the answer must take as long for unknown addresses as for known ones, and
    // the mail server's latency would tell them apart. It logs its own failures.
    void requestPasswordReset({ email, requestOrigin: new URL(request.url).origin })
  }
  return json({ ...submission.reply({ resetForm: true }), sent: SENT_MESSAGE })
}

export default function ForgotPasswordPage() {
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'forgot-password',
    lastResult,
    constraint: getZodConstraint(forgotPasswordSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  })
  const sent =
    lastResult && 'sent' in lastResult && typeof lastResult.sent === 'string'
      ? lastResult.sent
      : null
  return (
    <section className="auth-card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">忘记密码</h1>
      <p className="muted">填写注册时使用的邮箱，我们会发送一个重置密码的链接。</p>
      {sent ? (
        <p className="notice" role="status">
          {sent}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <Honeypot />
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField
          label="邮箱"
          field={fields.email}
          {...getInputProps(fields.email, { type: 'email' })}
          autoComplete="email"
          autoFocus
        />
        <button
          type="submit"
          className="button button--wide"
          disabled={navigation.state === 'submitting'}
        >
          {navigation.state === 'submitting' ? '正在提交…' : '发送重置链接'}
        </button>
      </Form>
      <p className="auth-card__alt">
        想起来了？<Link to="/login">返回登录</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '忘记密码 · 西安科技大市场' }]
