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
import { verifyLogin } from '~/models/user.server'
import { requireAnonymous, startUserSession } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { formatRetryAfter, rateLimits } from '~/utils/rate-limit.server'
import { getSafeRedirectPath, loginSchema } from '~/validation/account'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  const target = new URL(request.url).searchParams.get('redirectTo')
  // Only a same-origin path is ever put back into the form.
  return json({ redirectTo: getSafeRedirectPath(target) ?? '' })
}

// Never echoed back: the password, and redirectTo, which the loader supplies again and which
// could be up to the body limit long.
const HIDDEN_FIELDS = ['password', 'redirectTo']

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const { submission } = await parseForm(request, loginSchema)
  if (submission.status !== 'success') {
    return json(submission.reply({ hideFields: HIDDEN_FIELDS }), { status: 400 })
  }
  const { email, password, redirectTo } = submission.value
  const attempt = await rateLimits.login.begin(email, context.clientIp)
  if (!attempt.allowed) {
    return json(
      submission.reply({
        formErrors: [
          `登录尝试过于频繁，请 ${formatRetryAfter(attempt.retryAfterSeconds)}后再试；如忘记密码，可通过“忘记密码？”重新设置`,
        ],
        hideFields: HIDDEN_FIELDS,
      }),
      { status: 429, headers: { 'Retry-After': String(attempt.retryAfterSeconds) } },
    )
  }
  const user = await verifyLogin(email, password)
  if (!user) {
    return json(submission.reply({ formErrors: ['邮箱或密码不正确'], hideFields: HIDDEN_FIELDS }), {
      status: 400,
    })
  }
  await attempt.succeeded()
  return startUserSession({ request, userId: user.id, clientIp: context.clientIp, redirectTo })
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'login',
    lastResult,
    constraint: getZodConstraint(loginSchema),
    // Errors appear on the first submit, then follow each keystroke; validating on blur
    // would shift the layout under a pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  })
  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">登录</h1>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField
          label="邮箱"
          field={fields.email}
          {...getInputProps(fields.email, { type: 'email' })}
          autoComplete="email"
          autoFocus
        />
        <InputField
          label="密码"
          field={fields.password}
          {...getInputProps(fields.password, { type: 'password' })}
          autoComplete="current-password"
        />
        <p className="auth-card__forgot">
          <Link to="/forgot-password">忘记密码？</Link>
        </p>
        <button
          type="submit"
          className="button button--wide"
          disabled={navigation.state === 'submitting'}
        >
          {navigation.state === 'submitting' ? '正在登录…' : '登录'}
        </button>
      </Form>
      <p className="auth-card__alt">
        还没有账号？<Link to="/register">注册企业或科研人员账号</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '登录 · 西安科技大市场' }]
