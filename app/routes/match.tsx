import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'

import { Field, InputField } from '~/components/forms'
import { FieldCodeOptions } from '~/components/listing-fields'
import { MatchesUnavailable, MatchList } from '~/components/match-list'
import { matchNeedText } from '~/models/matching.server'
import { parseForm } from '~/utils/forms.server'
import { formatRetryAfter, rateLimits } from '~/utils/rate-limit.server'
import { matchFormSchema } from '~/validation/search'

/**
 * Anyone can describe a technical problem here and see which results and experts could solve
 * it, without an account. Rate-limited per address, as the API is: each match reads the text.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, matchFormSchema)
  if (submission.status !== 'success')
    return json({ ...submission.reply(), matches: null }, { status: 400 })
  const limit = await rateLimits.apiMatch.hit(`ip:${context.clientIp}`)
  if (!limit.allowed) {
    return json(
      {
        ...submission.reply({
          formErrors: [`匹配过于频繁，请 ${formatRetryAfter(limit.retryAfterSeconds)}后再试`],
        }),
        matches: null,
      },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
    )
  }
  const need = submission.value
  const matches = await matchNeedText({
    title: need.title,
    description: need.description,
    fieldCode: need.field,
    keywords: need.keywords,
    budgetMax: need.budgetMax,
  })
  return json({ ...submission.reply(), matches })
}

export default function MatchPage() {
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'match-need',
    lastResult,
    constraint: getZodConstraint(matchFormSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: matchFormSchema }),
  })
  const matches = lastResult?.matches ?? null
  const busy = navigation.state === 'submitting'
  return (
    <div className="stack">
      <h1>描述需求，找技术与专家</h1>
      <p className="muted">
        无需注册：写下企业遇到的技术问题，平台从已发布的科技成果和专家中找出最可能解决它的，并说明理由。
      </p>
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <InputField
          label="需求名称"
          field={fields.title}
          {...getInputProps(fields.title, { type: 'text' })}
          placeholder="例如：铝合金车身低变形焊接技术"
        />
        <Field label="需求描述" field={fields.description}>
          <textarea
            {...getTextareaProps(fields.description)}
            rows={6}
            placeholder="现状、想达到的指标、应用场景……写得越具体，匹配越准。"
          />
        </Field>
        <div className="two-columns">
          <Field label="技术领域（可不填，平台会据描述推断）" field={fields.field}>
            <select {...getSelectProps(fields.field)} key={fields.field.key}>
              <FieldCodeOptions emptyLabel="不确定" wholeFields />
            </select>
          </Field>
          <InputField
            label="预算上限（万元，可不填）"
            field={fields.budgetMax}
            {...getInputProps(fields.budgetMax, { type: 'number' })}
            min={0}
            step="any"
          />
        </div>
        <InputField
          label="关键词（可不填，用逗号或空格分隔）"
          field={fields.keywords}
          {...getInputProps(fields.keywords, { type: 'text' })}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? '正在匹配…' : '开始匹配'}
        </button>
      </Form>
      {matches === null ? null : matches.state === 'ready' ? (
        <section className="stack" aria-labelledby="match-results-title">
          <h2 id="match-results-title">匹配结果</h2>
          <section className="card" aria-labelledby="match-results-results">
            <h3 id="match-results-results">科技成果</h3>
            <MatchList
              matches={matches.results}
              emptyText="暂未找到相关的科技成果。换用更通用的说法，或补充关键词再试。"
              headingLevel={4}
            />
          </section>
          <section className="card" aria-labelledby="match-results-experts">
            <h3 id="match-results-experts">专家</h3>
            <MatchList
              matches={matches.experts}
              emptyText="暂未找到相关的专家。"
              headingLevel={4}
            />
          </section>
        </section>
      ) : (
        <MatchesUnavailable state={matches.state} />
      )}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '需求匹配 · 西安科技大市场' }]
