import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { ErrorList } from '~/components/forms'
import { MESSAGE_MAX_LENGTH, STALLED_AFTER_DAYS } from '~/domain/deals'
import {
  getPipeline,
  listMatchesToTakeUp,
  startDealFromMatch,
  startDirectDeal,
} from '~/models/brokerage.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { dealStatusLabels, formatWan } from '~/utils/labels'
import { isId } from '~/utils/params'
import { directDealSchema } from '~/validation/deals'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['broker'])
  const [pipeline, matches] = await Promise.all([getPipeline(user.id), listMatchesToTakeUp()])
  return json({ ...pipeline, matches })
}

type ActionFailure = {
  error: string
  /** The match whose button failed, or the direct form's fields and values. */
  matchId?: string
  fieldErrors?: Record<string, string[]>
  values?: Record<string, string>
}

/** A broker takes up a suggested match, or starts a deal between two organizations. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ['broker'])
  const form = await readFormData(request)
  const intent = form.get('intent')
  if (intent === 'direct') {
    const values = Object.fromEntries(
      [...form.entries()].filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    )
    const parsed = directDealSchema.safeParse(values)
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {}
      for (const issue of parsed.error.issues) {
        ;(fieldErrors[String(issue.path[0])] ??= []).push(issue.message)
      }
      return json<ActionFailure>(
        { error: '请检查标出的内容', fieldErrors, values },
        { status: 400 },
      )
    }
    const outcome = await startDirectDeal(user, parsed.data)
    if (!outcome.ok) {
      return json<ActionFailure>(
        {
          error: outcome.reason,
          fieldErrors: outcome.field ? { [outcome.field]: [outcome.reason] } : undefined,
          values,
        },
        { status: outcome.status },
      )
    }
    return redirectWithToast(request, `/deals/${outcome.dealId}`, {
      kind: 'success',
      message: '已发起对接，并通知了双方',
    })
  }
  const matchId = form.get('matchId')
  if (intent !== 'take-match' || !isId(matchId)) {
    return json<ActionFailure>({ error: '未知的操作，请刷新页面后重试' }, { status: 400 })
  }
  const outcome = await startDealFromMatch(user, matchId)
  if (!outcome.ok)
    return json<ActionFailure>({ error: outcome.reason, matchId }, { status: outcome.status })
  return redirectWithToast(request, `/deals/${outcome.dealId}`, {
    kind: 'success',
    message: '已接手该匹配，并通知了双方',
  })
}

/** 经纪看板: a broker's open deals by status, those waiting too long highlighted. */
export default function PipelinePage() {
  const { columns, takeable, matches } = useLoaderData<typeof loader>()
  const failed: ActionFailure | undefined = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const open = columns.reduce((sum, column) => sum + column.count, 0)
  const value = columns.reduce((sum, column) => sum + column.value, 0)
  const stalled = columns.reduce((sum, column) => sum + column.stalled, 0)
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>经纪看板</h1>
        <p>
          <Link to="/ledger">佣金台账</Link>
        </p>
      </div>
      <p className="muted" role="status">
        进行中 {open} 份合同，合同金额 {formatWan(value)} 万元
        {stalled ? `，其中 ${stalled} 份停滞` : ''}。
        {takeable ? (
          <>
            {' '}
            <Link to="/deals?show=open">待接手的对接 {takeable} 份</Link>
          </>
        ) : null}
      </p>
      {open === 0 ? (
        <p className="empty">
          您还没有经办中的合同。可以在
          <Link to="/deals?show=open">待接手的对接</Link>
          中接手一份，协助双方洽谈签约。
        </p>
      ) : (
        <div className="pipeline">
          {columns.map((column) => (
            <section
              key={column.status}
              className="pipeline__column"
              aria-labelledby={`column-${column.status}`}
            >
              <h2 id={`column-${column.status}`} className="pipeline__heading">
                {dealStatusLabels[column.status]}
                <span className="muted">
                  {' '}
                  {column.count} 份 · {formatWan(column.value)} 万元
                </span>
              </h2>
              {column.cards.length === 0 ? <p className="empty">无</p> : null}
              <ul className="pipeline__cards">
                {column.cards.map((card) => (
                  <li
                    key={card.id}
                    className={
                      card.stalled ? 'pipeline__card pipeline__card--stalled' : 'pipeline__card'
                    }
                  >
                    <Link to={`/deals/${card.id}`}>{card.title}</Link>
                    <p className="muted">
                      {card.sellerOrg.name} → {card.buyerOrg.name}
                    </p>
                    <p>
                      {card.contractAmount === null
                        ? '金额待定'
                        : `${formatWan(card.contractAmount)} 万元`}
                      {' · '}
                      在此阶段 {card.days} 天
                      {card.stalled ? (
                        <strong className="pipeline__stalled">
                          {' '}
                          停滞（超过 {STALLED_AFTER_DAYS[card.status]} 天）
                        </strong>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ul>
              {column.count > column.cards.length ? (
                <p>
                  <Link to={`/deals?show=${column.status}`}>查看全部 {column.count} 份</Link>
                </p>
              ) : null}
            </section>
          ))}
        </div>
      )}
      <section className="card stack" aria-labelledby="matches-title">
        <h2 id="matches-title">可接手的匹配</h2>
        {matches.length === 0 ? (
          <p className="empty">暂时没有待接手的匹配。需求发布或更新后，系统会自动推荐匹配。</p>
        ) : (
          <ul className="listing-list">
            {matches.map((match) => {
              const offer = match.result
                ? {
                    to: `/results/${match.result.id}`,
                    title: match.result.title,
                    org: match.result.org.name,
                  }
                : {
                    to: `/experts/${match.expert?.id}`,
                    title: match.expert?.name ?? '',
                    org: match.expert?.org.name ?? '',
                  }
              return (
                <li key={match.id}>
                  <span className="listing-list__title">
                    <Link to={`/needs/${match.need.id}`}>{match.need.title}</Link>
                    {' ↔ '}
                    <Link to={offer.to}>{offer.title}</Link>
                  </span>
                  <span className="listing-list__meta">
                    {match.need.org.name} ↔ {offer.org} · 匹配度 {Math.round(match.score * 100)}%
                    {match.status === 'interested' ? ' · 一方有意向' : ''}
                  </span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="take-match" />
                    <input type="hidden" name="matchId" value={match.id} />
                    <button type="submit" className="button button--small" disabled={busy}>
                      接手并发起对接
                    </button>
                  </Form>
                  {failed?.matchId === match.id ? <ErrorList errors={[failed.error]} /> : null}
                </li>
              )
            })}
          </ul>
        )}
      </section>
      <DirectDealForm failed={failed && !failed.matchId ? failed : undefined} busy={busy} />
    </div>
  )
}

function DirectDealForm({ failed, busy }: { failed?: ActionFailure; busy: boolean }) {
  const field = (name: string, label: string, textarea = false) => {
    const errors = failed?.fieldErrors?.[name]
    const props = {
      id: `direct-${name}`,
      name,
      defaultValue: failed?.values?.[name] ?? '',
      'aria-invalid': errors ? true : undefined,
      'aria-describedby': errors ? `direct-${name}-error` : undefined,
    }
    return (
      <div className={errors ? 'field field--invalid' : 'field'}>
        <label htmlFor={props.id}>{label}</label>
        {textarea ? (
          <textarea rows={3} maxLength={MESSAGE_MAX_LENGTH} {...props} />
        ) : (
          <input required {...props} />
        )}
        <ErrorList id={`direct-${name}-error`} errors={errors} />
      </div>
    )
  }
  return (
    <section className="card stack" aria-labelledby="direct-title">
      <h2 id="direct-title">直接发起对接</h2>
      <p className="muted">
        为您撮合的两家单位建立一份合同，由您经办。单位须填写在平台注册的完整名称。
      </p>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="direct" />
        {field('sellerOrg', '卖方单位（技术提供方）')}
        {field('buyerOrg', '买方单位（技术需求方）')}
        {field('title', '合同名称')}
        {field('message', '给双方的留言（可选）', true)}
        {failed && !failed.fieldErrors ? <ErrorList errors={[failed.error]} /> : null}
        <button type="submit" className="button" disabled={busy}>
          发起对接
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: '经纪看板 · 西安科技大市场' }]
