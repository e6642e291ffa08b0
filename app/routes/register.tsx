import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect } from 'react'

import { ErrorList, Field, Honeypot, InputField } from '~/components/forms'
import { regionGroups } from '~/domain/reference'
import { listResearchOrganizations } from '~/models/organization.server'
import { registerAccount } from '~/models/user.server'
import { requireAnonymous, startUserSession } from '~/server/auth.server'
import { parseForm } from '~/utils/forms.server'
import { orgKindLabels } from '~/utils/labels'
import { formatRetryAfter, rateLimits } from '~/utils/rate-limit.server'
import { registerSchema } from '~/validation/account'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return json({ researchOrgs: await listResearchOrganizations() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const { formData, submission } = await parseForm(request, registerSchema)
  const hidden = ['password', 'confirmPassword']
  if (formData.get('website')) {
    return json(
      submission.reply({ formErrors: ['提交未通过校验，请刷新页面后重试'], hideFields: hidden }),
      {
        status: 400,
      },
    )
  }
  if (submission.status !== 'success') {
    return json(submission.reply({ hideFields: hidden }), { status: 400 })
  }
  const limit = await rateLimits.register.hit(context.clientIp)
  if (!limit.allowed) {
    return json(
      submission.reply({
        formErrors: [`注册过于频繁，请 ${formatRetryAfter(limit.retryAfterSeconds)}后再试`],
        hideFields: hidden,
      }),
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
    )
  }
  const result = await registerAccount(submission.value)
  if ('fieldErrors' in result) {
    return json(submission.reply({ fieldErrors: result.fieldErrors, hideFields: hidden }), {
      status: 400,
    })
  }
  const { user } = result
  return startUserSession({
    request,
    userId: user.id,
    clientIp: context.clientIp,
    redirectTo: '/workbench',
    toast:
      user.membership === 'pending'
        ? `注册成功。您加入“${user.org?.name ?? ''}”的申请已提交，审核通过后即可代表单位提交和修改信息`
        : `注册成功，欢迎加入西安科技大市场，${user.displayName}！`,
  })
}

export default function RegisterPage() {
  const { researchOrgs } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'register',
    lastResult,
    defaultValue: { role: 'enterprise', enterpriseMode: 'create' },
    constraint: getZodConstraint(registerSchema),
    // Errors appear on the first submit, then follow each keystroke; validating on blur
    // would shift the layout under a pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
  })
  // A choice clicked before the page's script took over (a slow connection) is checked in the
  // DOM but unknown to the form: adopt it on hydration instead of showing the other section.
  useEffect(() => {
    const element = document.getElementById(form.id)
    if (!(element instanceof HTMLFormElement)) return
    const chosen = new FormData(element)
    for (const field of [fields.role, fields.enterpriseMode]) {
      const value = chosen.get(field.name)
      if (typeof value === 'string' && value !== field.value)
        form.update({ name: field.name, value })
    }
    // Once, on hydration: later choices go through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  const role = fields.role.value === 'researcher' ? 'researcher' : 'enterprise'
  const enterpriseMode = fields.enterpriseMode.value === 'join' ? 'join' : 'create'
  const nameTaken = fields.orgName.errors?.some((error) => error.includes('申请加入')) ?? false
  return (
    <section className="auth-card auth-card--wide" aria-labelledby="register-title">
      <h1 id="register-title">注册账号</h1>
      <p className="muted">
        企业发布技术需求，科研人员发布科技成果。技术经纪人、科技局账号由平台管理员开通。
      </p>
      <Form method="post" {...getFormProps(form)}>
        <Honeypot />
        <ErrorList id={form.errorId} errors={form.errors} />
        <fieldset className="role-choice">
          <legend>账号类型</legend>
          {(['enterprise', 'researcher'] as const).map((value) => (
            <label key={value} className="role-choice__option">
              <input
                type="radio"
                name={fields.role.name}
                value={value}
                defaultChecked={role === value}
                onChange={() => form.update({ name: fields.role.name, value })}
              />
              {value === 'enterprise' ? '企业（发布技术需求）' : '科研人员（发布科技成果）'}
            </label>
          ))}
        </fieldset>
        <InputField
          label="姓名"
          field={fields.displayName}
          {...getInputProps(fields.displayName, { type: 'text' })}
          autoComplete="name"
        />
        <InputField
          label="邮箱"
          field={fields.email}
          {...getInputProps(fields.email, { type: 'email' })}
          autoComplete="email"
        />
        <InputField
          label="密码"
          field={fields.password}
          help="至少 8 个字符，同时包含字母和数字"
          {...getInputProps(fields.password, { type: 'password' })}
          autoComplete="new-password"
        />
        <InputField
          label="确认密码"
          field={fields.confirmPassword}
          {...getInputProps(fields.confirmPassword, { type: 'password' })}
          autoComplete="new-password"
        />
        {role === 'researcher' ? (
          <Field label="所在高校或科研院所" field={fields.orgId}>
            <select {...getSelectProps(fields.orgId)}>
              <option value="">请选择</option>
              {researchOrgs.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}（{orgKindLabels[org.kind]}）
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <>
            <fieldset className="role-choice">
              <legend>所在企业</legend>
              {(['create', 'join'] as const).map((value) => (
                <label key={value} className="role-choice__option">
                  <input
                    type="radio"
                    name={fields.enterpriseMode.name}
                    value={value}
                    checked={enterpriseMode === value}
                    onChange={() => form.update({ name: fields.enterpriseMode.name, value })}
                  />
                  {value === 'create' ? '登记新企业' : '申请加入已登记的企业'}
                </label>
              ))}
            </fieldset>
            <InputField
              label="企业名称"
              field={fields.orgName}
              help={
                enterpriseMode === 'join'
                  ? '请填写与平台登记一致的企业全称；提交后由该企业已有成员或平台工作人员审核'
                  : undefined
              }
              {...getInputProps(fields.orgName, { type: 'text' })}
              autoComplete="organization"
            />
            {nameTaken && enterpriseMode === 'create' ? (
              <p>
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={() => form.update({ name: fields.enterpriseMode.name, value: 'join' })}
                >
                  申请加入该单位
                </button>
              </p>
            ) : null}
            {enterpriseMode === 'create' ? (
              <>
                <InputField
                  label="统一社会信用代码"
                  field={fields.creditCode}
                  help="18 位，见营业执照"
                  {...getInputProps(fields.creditCode, { type: 'text' })}
                  maxLength={18}
                  spellCheck={false}
                />
                <Field label="注册地" field={fields.regionCode}>
                  <select {...getSelectProps(fields.regionCode)}>
                    <option value="">请选择</option>
                    {regionGroups.map((group) => (
                      <optgroup key={group.label} label={group.label}>
                        {group.regions.map((region) => (
                          <option key={region.code} value={region.code}>
                            {region.name}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </Field>
              </>
            ) : null}
          </>
        )}
        {role === 'researcher' ? (
          <p className="muted">
            提交后由所在单位已有成员或平台工作人员审核，审核通过前可先准备草稿。
          </p>
        ) : null}
        <div className={fields.acceptTerms.errors?.length ? 'field field--invalid' : 'field'}>
          <label className="terms-consent">
            <input {...getInputProps(fields.acceptTerms, { type: 'checkbox' })} />
            <span>
              我已阅读并同意
              <Link to="/terms" target="_blank" rel="noreferrer">
                《服务条款与隐私政策》
                <span className="visually-hidden">（在新窗口打开）</span>
              </Link>
            </span>
          </label>
          <ErrorList id={fields.acceptTerms.errorId} errors={fields.acceptTerms.errors} />
        </div>
        <button
          type="submit"
          className="button button--wide"
          disabled={navigation.state === 'submitting'}
        >
          {navigation.state === 'submitting' ? '正在注册…' : '注册'}
        </button>
      </Form>
      <p className="auth-card__alt">
        已有账号？<Link to="/login">直接登录</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '注册 · 西安科技大市场' }]
