import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { ErrorList } from '~/components/forms'
import { STATISTICS_ROLES, TARGET_EDITOR_ROLES } from '~/domain/constants'
import { currentYear } from '~/domain/statistics'
import {
  TARGET_DEFINITIONS,
  toEnteredValue,
  type Projection,
  type TargetUnit,
} from '~/domain/targets'
import type { TargetMetric } from '~/generated/prisma/enums'
import { getTargetBoard, reportActual, setTarget, type TargetRow } from '~/models/targets.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, formatDateTime, formatPercent, formatYi, pageNames } from '~/utils/labels'
import { reportSchema, TARGET_INTENTS, TARGET_YEARS, targetEditSchema } from '~/validation/targets'

/** Years offered in the year picker around the current one. */
const YEARS_AROUND = { before: 5, after: 1 }

function readYear(url: URL) {
  const raw = url.searchParams.get('year')
  if (raw === null) return { ok: true as const, year: currentYear() }
  const year = Number(raw)
  return /^\d{4}$/.test(raw) && year >= TARGET_YEARS.min && year <= TARGET_YEARS.max
    ? { ok: true as const, year }
    : {
        ok: false as const,
        error: `参数 year 应为 ${TARGET_YEARS.min}–${TARGET_YEARS.max} 之间的年份`,
      }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, STATISTICS_ROLES)
  const read = readYear(new URL(request.url))
  if (!read.ok) return json({ ok: false as const, error: read.error }, { status: 400 })
  const board = await getTargetBoard(read.year)
  const thisYear = currentYear()
  return json({
    ok: true as const,
    ...board,
    canEdit: (TARGET_EDITOR_ROLES as readonly string[]).includes(user.role),
    years: Array.from(
      { length: YEARS_AROUND.before + YEARS_AROUND.after + 1 },
      (_, index) => thisYear - YEARS_AROUND.before + index,
    ),
  })
}

type FieldErrors = Record<string, string[] | undefined>

interface ActionFailure {
  intent: string
  metric: string
  values: Record<string, string>
  errors: FieldErrors
  formError?: string
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, TARGET_EDITOR_ROLES)
  const formData = await readFormData(request)
  const values = Object.fromEntries(
    [...formData].flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : [])),
  ) as Record<string, string>
  const intent = values.intent ?? ''
  const failure = (status: number, errors: FieldErrors, formError?: string) =>
    json<ActionFailure>(
      { intent, metric: values.metric ?? '', values, errors, formError },
      { status },
    )
  const back = (year: number, message: string) =>
    redirectWithToast(request, `/bureau/targets?year=${year}`, { kind: 'success', message })

  if (intent === TARGET_INTENTS.target) {
    const parsed = targetEditSchema.safeParse(values)
    if (!parsed.success) return failure(400, fieldErrorsOf(parsed.error))
    const saved = await setTarget(user.id, parsed.data)
    if (!saved.ok) {
      const { label } = TARGET_DEFINITIONS[parsed.data.metric]
      const now =
        saved.conflict.value === null
          ? '目前没有目标'
          : `目前为 ${formatEntered(parsed.data.metric, saved.conflict.value)}`
      return failure(409, {}, `保存前，${label}的目标已被他人修改（${now}）。请核对后重新填写。`)
    }
    return back(parsed.data.year, `已更新${TARGET_DEFINITIONS[parsed.data.metric].label}的目标`)
  }
  if (intent === TARGET_INTENTS.report) {
    const parsed = reportSchema.safeParse(values)
    if (!parsed.success) return failure(400, fieldErrorsOf(parsed.error))
    await reportActual(user.id, parsed.data)
    return back(parsed.data.year, `已记录${TARGET_DEFINITIONS[parsed.data.metric].label}的上报数据`)
  }
  return failure(400, {}, '无法识别提交的表单，请刷新页面后重试')
}

function fieldErrorsOf(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const errors: FieldErrors = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] = [...(errors[field] ?? []), issue.message]
  }
  return errors
}

const UNIT_SUFFIX: Record<TargetUnit, string> = { yi: '亿元', percent: '%', count: '' }

/** A stored value as people read it: 亿元, a percentage, or a count with its noun. */
function formatEntered(metric: TargetMetric, value: number) {
  const definition: { unit: TargetUnit; noun?: string } = TARGET_DEFINITIONS[metric]
  if (definition.unit === 'yi') return `${formatYi(value)} 亿元`
  if (definition.unit === 'percent') return formatPercent(value)
  return `${value.toLocaleString('zh-CN')} ${definition.noun ?? ''}`.trim()
}

const PROJECTION_METHODS: Record<Projection['method'], string> = {
  final: '全年实际',
  seasonal: '按往年季节规律推算',
  linear: '无往年数据，按时间进度推算',
}

function ProgressCell({ share, label }: { share: number | null; label: string }) {
  if (share === null) return <span className="muted">—</span>
  return (
    <span className="target-progress">
      <progress max={1} value={Math.min(1, share)} aria-label={label} />
      <span>{formatPercent(share)}</span>
    </span>
  )
}

function TargetForm({
  row,
  year,
  failed,
}: {
  row: TargetRow
  year: number
  failed: ActionFailure | undefined
}) {
  const { metric } = row
  const { unit } = TARGET_DEFINITIONS[metric]
  const id = `target-${metric}`
  const mine = failed?.intent === TARGET_INTENTS.target && failed.metric === metric
  const errors = mine
    ? [...(failed.errors.value ?? []), ...(failed.formError ? [failed.formError] : [])]
    : []
  const current = row.target ? String(toEnteredValue(metric, row.target.value)) : ''
  return (
    <Form method="post" className="inline-form" preventScrollReset>
      <input type="hidden" name="intent" value={TARGET_INTENTS.target} />
      <input type="hidden" name="year" value={year} />
      <input type="hidden" name="metric" value={metric} />
      <input type="hidden" name="version" value={row.target?.version ?? 0} />
      <label htmlFor={id} className="visually-hidden">
        {TARGET_DEFINITIONS[metric].label}目标（{UNIT_SUFFIX[unit] || '数量'}）
      </label>
      <input
        id={id}
        name="value"
        inputMode="decimal"
        size={10}
        defaultValue={mine ? failed.values.value : current}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
      />
      {UNIT_SUFFIX[unit] ? <span>{UNIT_SUFFIX[unit]}</span> : null}
      <button type="submit" className="button button-small">
        保存
      </button>
      <ErrorList id={`${id}-errors`} errors={errors} />
    </Form>
  )
}

function ReportForm({
  metrics,
  year,
  failed,
}: {
  metrics: TargetMetric[]
  year: number
  failed: ActionFailure | undefined
}) {
  const mine = failed?.intent === TARGET_INTENTS.report ? failed : undefined
  const navigation = useNavigation()
  const field = (name: string) => ({
    id: `report-${name}`,
    name,
    defaultValue: mine?.values[name],
    'aria-invalid': mine?.errors[name] ? true : undefined,
    'aria-describedby': mine?.errors[name] ? `report-${name}-errors` : undefined,
  })
  const errorsOf = (name: string) => (
    <ErrorList id={`report-${name}-errors`} errors={mine?.errors[name]} />
  )
  return (
    <Form method="post" className="form report-form" preventScrollReset>
      <input type="hidden" name="intent" value={TARGET_INTENTS.report} />
      <input type="hidden" name="year" value={year} />
      <div className="field">
        <label htmlFor="report-metric">指标</label>
        <select {...field('metric')}>
          {metrics.map((metric) => (
            <option key={metric} value={metric}>
              {TARGET_DEFINITIONS[metric].label}（
              {UNIT_SUFFIX[TARGET_DEFINITIONS[metric].unit] || '数量'}）
            </option>
          ))}
        </select>
        {errorsOf('metric')}
      </div>
      <div className="field">
        <label htmlFor="report-value">数值</label>
        <input {...field('value')} inputMode="decimal" />
        <p className="help">亿元指标填亿元，数量填整数。</p>
        {errorsOf('value')}
      </div>
      <div className="field">
        <label htmlFor="report-source">数据来源</label>
        <input {...field('source')} maxLength={100} placeholder="如：市知识产权局月报" />
        {errorsOf('source')}
      </div>
      <div className="field">
        <label htmlFor="report-asOf">截至日期</label>
        <input {...field('asOf')} type="date" />
        {errorsOf('asOf')}
      </div>
      <ErrorList errors={mine?.formError ? [mine.formError] : undefined} />
      <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
        记录上报数据
      </button>
    </Form>
  )
}

export default function BureauTargetsPage() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as ActionFailure | undefined
  if (!data.ok) {
    return (
      <div className="stack">
        <h1>目标任务</h1>
        <ErrorList errors={[data.error]} />
        <p>
          <Link to="/bureau/targets">查看今年的目标</Link>
        </p>
      </div>
    )
  }
  const { year, rows, changes, reports, canEdit, years, at } = data
  const reportedMetrics = rows
    .filter((row) => TARGET_DEFINITIONS[row.metric].measured === 'reported')
    .map((row) => row.metric)
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>{year} 年目标任务</h1>
        <p className="muted">
          《西安市科技局 2014 年工作要点》的年度目标，平台统计与上报数据对照。
          {at > 0 && at < 1 ? `全年已过 ${formatPercent(at)}。` : ''}
          <Link to="/bureau">返回{pageNames.statistics}</Link>
        </p>
      </div>
      <Form method="get" className="inline-form">
        <label htmlFor="target-year">年份</label>
        <select id="target-year" name="year" defaultValue={year}>
          {years.map((option) => (
            <option key={option} value={option}>
              {option} 年
            </option>
          ))}
        </select>
        <button type="submit" className="button button-small">
          查看
        </button>
      </Form>

      <div className="table-scroll">
        <table className="table targets-table">
          <caption className="visually-hidden">{year} 年各项目标的完成情况</caption>
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col">目标</th>
              <th scope="col">目前完成</th>
              <th scope="col">进度</th>
              <th scope="col">预计全年</th>
              <th scope="col">数据来源</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const definition = TARGET_DEFINITIONS[row.metric]
              return (
                <tr key={row.metric}>
                  <th scope="row">
                    {definition.label}
                    <span className="help">{definition.planWording}</span>
                  </th>
                  <td>
                    {canEdit ? (
                      <TargetForm row={row} year={year} failed={failed} />
                    ) : row.target ? (
                      formatEntered(row.metric, row.target.value)
                    ) : (
                      <span className="muted">未设定</span>
                    )}
                  </td>
                  <td>
                    {row.actual === null ? (
                      <span className="muted">暂无数据</span>
                    ) : (
                      formatEntered(row.metric, row.actual)
                    )}
                  </td>
                  <td>
                    <ProgressCell share={row.progress} label={`${definition.label}完成进度`} />
                  </td>
                  <td>
                    {row.projection ? (
                      <>
                        {formatEntered(row.metric, row.projection.value)}
                        {row.projectedProgress !== null ? (
                          <span> （{formatPercent(row.projectedProgress)}）</span>
                        ) : null}
                        <span className="help">{PROJECTION_METHODS[row.projection.method]}</span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {definition.measured === 'platform' ? (
                      '平台交易与对接记录'
                    ) : row.reported ? (
                      <>
                        {row.reported.source}
                        <span className="help">
                          截至 {row.reported.asOf}，{row.reported.reportedBy}上报
                        </span>
                      </>
                    ) : (
                      <span className="muted">尚未上报</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>

      {canEdit ? (
        <section className="stack" aria-labelledby="report-heading">
          <h2 id="report-heading">上报数据</h2>
          <p className="muted">
            平台无法自行统计的指标（如发明专利、高新技术企业认定），由相关部门上报后在此登记；更正时再上报一次即可，历次上报都会保留。
          </p>
          <ReportForm metrics={reportedMetrics} year={year} failed={failed} />
        </section>
      ) : null}

      <section className="stack" aria-labelledby="changes-heading">
        <h2 id="changes-heading">目标修改记录</h2>
        {changes.length === 0 ? (
          <p className="empty">{year} 年的目标还没有被修改过。</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">修改人</th>
                <th scope="col">指标</th>
                <th scope="col">原目标</th>
                <th scope="col">新目标</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr key={change.id}>
                  <td>{formatDateTime(change.at)}</td>
                  <td>{change.actor}</td>
                  <th scope="row">{TARGET_DEFINITIONS[change.metric].label}</th>
                  <td>
                    {change.previous === null
                      ? '（首次设定）'
                      : formatEntered(change.metric, change.previous)}
                  </td>
                  <td>{formatEntered(change.metric, change.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="stack" aria-labelledby="reports-heading">
        <h2 id="reports-heading">上报记录</h2>
        {reports.length === 0 ? (
          <p className="empty">{year} 年还没有上报数据。</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">截至日期</th>
                <th scope="col">指标</th>
                <th scope="col">数值</th>
                <th scope="col">来源</th>
                <th scope="col">上报人</th>
                <th scope="col">记录时间</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((report) => (
                <tr key={report.id}>
                  <td>{formatDate(report.asOf)}</td>
                  <th scope="row">{TARGET_DEFINITIONS[report.metric].label}</th>
                  <td>{formatEntered(report.metric, report.value)}</td>
                  <td>{report.source}</td>
                  <td>{report.reportedBy}</td>
                  <td>{formatDateTime(report.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '目标任务 · 西安科技大市场' }]
