import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
} from '@remix-run/react'

import { DealRoom, MESSAGE_INTENT } from '~/components/deal-room'
import { DocumentList } from '~/components/document-list'
import { FactList } from '~/components/fact-list'
import { ErrorList } from '~/components/forms'
import { CONTRACT_SUBTYPES } from '~/domain/constants'
import { canSpeakInDeal, DEAL_PATH, type DealMove } from '~/domain/deals'
import { ContractType } from '~/generated/prisma/enums'
import { listDealDocuments } from '~/models/deal-document.server'
import { openDealRoom, postDealMessage } from '~/models/deal-room.server'
import { getDealForViewer, moveDeal, setDealCommission, takeUpDeal } from '~/models/deal.server'
import { useSocketEvent } from '~/realtime/socket-context'
import { redirectWithToast, requireUser } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import {
  contractTypeLabels,
  dealStatusLabels,
  describeCommission,
  formatDate,
  formatWan,
  orgKindLabels,
  roleLabels,
} from '~/utils/labels'
import { requireIdParam } from '~/utils/params'
import { commissionSchema, dealMoveFromForm, takeUpSchema } from '~/validation/deals'

const NOT_FOUND = '该合同不存在，或您不是它的参与方'

/** The page's data as the browser receives it (dates as strings). */
type DealPage = ReturnType<typeof useLoaderData<typeof loader>>

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = requireIdParam(params, 'dealId', NOT_FOUND)
  const page = await getDealForViewer(user, id)
  if (!page) throw new Response(NOT_FOUND, { status: 404 })
  // Documents are for the participants and the bureau, not for a broker deciding to take up.
  const [room, documents] = await Promise.all([
    openDealRoom(user.id, id, page.capacities),
    page.capacities.length > 0 ? listDealDocuments(id) : noDocuments(),
  ])
  return json({ ...page, room, documents, viewerId: user.id })
}

const noDocuments = async (): Promise<Awaited<ReturnType<typeof listDealDocuments>>> => []

type ActionError = {
  error: string
  /** Which form the error belongs to: the target status, or take-up. */
  form: string
  fieldErrors?: Record<string, string[]>
  values?: Record<string, string>
}

/** A Zod path of the move schema as the form's field name. */
function formFieldOf(path: readonly PropertyKey[]) {
  if (path[0] === 'registration' && path[1] === 'techTransactionAmount') return 'assessedAmount'
  return String(path.at(-1) ?? 'to')
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const id = requireIdParam(params, 'dealId', NOT_FOUND)
  const formData = await readFormData(request)
  const form = Object.fromEntries(formData)
  const values = Object.fromEntries(
    Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
  const back = `/deals/${id}`
  if (form.intent === MESSAGE_INTENT) {
    const posted = await postDealMessage(user.id, id, form.body)
    if (!posted.ok) {
      return json<ActionError>(
        { error: posted.reason, form: MESSAGE_INTENT, values },
        { status: posted.status },
      )
    }
    return redirectWithToast(request, back, { kind: 'success', message: '消息已发送' })
  }
  if (form.intent === 'commission') {
    const parsed = commissionSchema.safeParse(form)
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {}
      for (const issue of parsed.error.issues) {
        ;(fieldErrors[String(issue.path.at(-1) ?? 'basis')] ??= []).push(issue.message)
      }
      return json<ActionError>(
        { error: '请检查佣金', form: 'commission', fieldErrors, values },
        { status: 400 },
      )
    }
    const outcome = await setDealCommission(user, id, parsed.data)
    if (!outcome.ok) {
      return json<ActionError>(
        { error: outcome.reason, form: 'commission', values },
        { status: outcome.status },
      )
    }
    return redirectWithToast(request, back, { kind: 'success', message: '佣金约定已保存' })
  }
  if (form.intent === 'take-up') {
    const parsed = takeUpSchema.safeParse(form)
    if (!parsed.success) {
      return json<ActionError>(
        { error: '版本号缺失，请刷新页面后重试', form: 'take-up' },
        { status: 400 },
      )
    }
    const outcome = await takeUpDeal(user, id, parsed.data.version)
    if (!outcome.ok) {
      return json<ActionError>(
        { error: outcome.reason, form: 'take-up' },
        { status: outcome.status },
      )
    }
    return redirectWithToast(request, back, { kind: 'success', message: '已接手该合同' })
  }
  if (form.intent !== 'move') {
    return json<ActionError>({ error: '未知的操作，请刷新页面后重试', form: '' }, { status: 400 })
  }
  const target = typeof form.to === 'string' ? form.to : ''
  const parsed = dealMoveFromForm(form)
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {}
    for (const issue of parsed.error.issues) {
      // A discriminated union reports the other options' fields too: only the posted ones count.
      const name = formFieldOf(issue.path)
      ;(fieldErrors[name] ??= []).push(issue.message)
    }
    return json<ActionError>(
      { error: '请检查标出的内容', form: target, fieldErrors, values },
      { status: 400 },
    )
  }
  const outcome = await moveDeal(user, id, parsed.data)
  if (!outcome.ok) {
    return json<ActionError>(
      {
        error: outcome.reason,
        form: target,
        fieldErrors: outcome.field ? { [outcome.field]: [outcome.reason] } : undefined,
        values,
      },
      { status: outcome.status },
    )
  }
  return redirectWithToast(request, back, {
    kind: 'success',
    message: `已${outcome.move.label}，合同现为“${dealStatusLabels[parsed.data.to]}”`,
  })
}

export default function DealPageView() {
  const page = useLoaderData<typeof loader>()
  const { deal } = page
  const actionData = useActionData<typeof action>()
  const revalidator = useRevalidator()
  useSocketEvent('deal:changed', (payload) => {
    // Also for changes that leave the terms and their version alone (a document uploaded).
    if (payload.id === deal.id) revalidator.revalidate()
  })
  const linked = deal.result
    ? { to: `/results/${deal.result.id}`, label: `科技成果：${deal.result.title}` }
    : deal.expert
      ? { to: `/experts/${deal.expert.id}`, label: `专家：${deal.expert.name}` }
      : null
  return (
    <div className="stack">
      <p>
        <Link to="/deals">← 我的合同</Link>
      </p>
      <div className="page-heading">
        <h1>{deal.title}</h1>
        <span
          className={`status-badge status-badge--${deal.status === 'cancelled' ? 'bad' : 'live'}`}
        >
          {dealStatusLabels[deal.status]}
        </span>
      </div>
      <DealProgress status={deal.status} />
      {deal.status === 'cancelled' && deal.cancelReason ? (
        <p className="notice notice--error">已取消：{deal.cancelReason}</p>
      ) : null}
      <div className="detail-layout">
        <div className="stack">
          <MovePanel page={page} actionData={actionData} />
          <DealRoom
            dealId={deal.id}
            viewerId={page.viewerId}
            initial={page.room}
            moves={deal.events}
            failed={
              actionData && 'form' in actionData && actionData.form === MESSAGE_INTENT
                ? { error: actionData.error, body: actionData.values?.body }
                : undefined
            }
          />
          <Timeline events={deal.events} />
        </div>
        <aside className="stack">
          <section className="card" aria-labelledby="parties-title">
            <h2 id="parties-title">合同各方</h2>
            <dl className="facts">
              <dt>卖方</dt>
              <dd>
                {deal.sellerOrg.name}
                <span className="muted">（{orgKindLabels[deal.sellerOrg.kind]}）</span>
              </dd>
              <dt>买方</dt>
              <dd>
                {deal.buyerOrg.name}
                <span className="muted">（{orgKindLabels[deal.buyerOrg.kind]}）</span>
              </dd>
              <dt>技术经纪人</dt>
              <dd>{deal.broker?.displayName ?? '暂无'}</dd>
              {linked ? (
                <>
                  <dt>对接来源</dt>
                  <dd>
                    <Link to={linked.to}>{linked.label}</Link>
                  </dd>
                </>
              ) : null}
              {deal.need ? (
                <>
                  <dt>关联需求</dt>
                  <dd>
                    <Link to={`/needs/${deal.need.id}`}>{deal.need.title}</Link>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
          <Terms deal={deal} />
          <Commission page={page} actionData={actionData} />
          {page.capacities.length > 0 ? (
            <section className="card stack" aria-labelledby="documents-title">
              <h2 id="documents-title">合同文件</h2>
              <DocumentList dealId={deal.id} documents={page.documents} />
              <p>
                <Link to={`/deals/${deal.id}/documents`}>
                  {canSpeakInDeal(page.capacities) && deal.status !== 'cancelled'
                    ? '上传合同文件'
                    : '查看全部文件'}
                </Link>
              </p>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  )
}

function DealProgress({ status }: { status: DealPage['deal']['status'] }) {
  const reached =
    status === 'cancelled' ? -1 : DEAL_PATH.indexOf(status as (typeof DEAL_PATH)[number])
  return (
    <ol className="deal-progress" aria-label="合同进度">
      {DEAL_PATH.map((step, index) => (
        <li
          key={step}
          className={
            index <= reached
              ? 'deal-progress__step deal-progress__step--done'
              : 'deal-progress__step'
          }
          aria-current={index === reached ? 'step' : undefined}
        >
          {dealStatusLabels[step]}
        </li>
      ))}
    </ol>
  )
}

function Terms({ deal }: { deal: DealPage['deal'] }) {
  if (!deal.contractType) {
    return (
      <section className="card" aria-labelledby="terms-title">
        <h2 id="terms-title">合同条款</h2>
        <p className="empty">签约时填写合同类别、金额和签约日期。</p>
      </section>
    )
  }
  const facts: [string, string][] = [
    [
      '合同类别',
      `${contractTypeLabels[deal.contractType]}${deal.subType ? ` · ${deal.subType}` : ''}`,
    ],
    ['合同金额', deal.contractAmount ? `${formatWan(deal.contractAmount)} 万元` : '—'],
    [
      '技术交易额',
      deal.techTransactionAmount ? `${formatWan(deal.techTransactionAmount)} 万元` : '—',
    ],
    ['签约日期', deal.signedAt ? formatDate(deal.signedAt) : '—'],
  ]
  if (deal.registrationNo) {
    facts.push(['登记编号', deal.registrationNo])
    facts.push(['登记日期', deal.registeredAt ? formatDate(deal.registeredAt) : '—'])
  }
  return (
    <section className="card" aria-labelledby="terms-title">
      <h2 id="terms-title">合同条款</h2>
      <FactList facts={facts} />
    </section>
  )
}

type ActionData = ReturnType<typeof useActionData<typeof action>>

/** The broker's commission: shown to everyone on the deal, set by its broker. */
function Commission({ page, actionData }: { page: DealPage; actionData: ActionData }) {
  const { deal, capacities } = page
  const busy = useNavigation().state !== 'idle'
  if (!deal.broker) return null
  const editable =
    capacities.includes('broker') && deal.status !== 'completed' && deal.status !== 'cancelled'
  const failed =
    actionData && 'form' in actionData && actionData.form === 'commission' ? actionData : undefined
  const values = failed?.values ?? {}
  const errorsOf = (name: string) => failed?.fieldErrors?.[name]
  const basis =
    values.basis ?? (deal.commissionRate === null && deal.commissionAmount ? 'fixed' : 'rate')
  return (
    <section className="card stack" aria-labelledby="commission-title">
      <h2 id="commission-title">经纪佣金</h2>
      <p>{describeCommission(deal.commissionRate, deal.commissionAmount)}</p>
      {editable ? (
        <Form method="post" className="stack" key={deal.version}>
          <input type="hidden" name="intent" value="commission" />
          <input type="hidden" name="version" value={deal.version} />
          <fieldset className="field">
            <legend>佣金方式</legend>
            <label>
              <input type="radio" name="basis" value="rate" defaultChecked={basis === 'rate'} />{' '}
              按合同金额比例
            </label>
            <label>
              <input type="radio" name="basis" value="fixed" defaultChecked={basis === 'fixed'} />{' '}
              固定金额
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="commission-percent">比例（%，按比例时填写）</label>
            <input
              id="commission-percent"
              name="percent"
              inputMode="decimal"
              defaultValue={
                values.percent ??
                (deal.commissionRate === null ? '' : String(Number(deal.commissionRate) * 100))
              }
              aria-invalid={errorsOf('percent') ? true : undefined}
              aria-describedby={errorsOf('percent') ? 'commission-percent-error' : undefined}
            />
            <ErrorList id="commission-percent-error" errors={errorsOf('percent')} />
          </div>
          <div className="field">
            <label htmlFor="commission-amount">固定金额（万元，固定时填写）</label>
            <input
              id="commission-amount"
              name="amount"
              inputMode="decimal"
              defaultValue={
                values.amount ??
                (deal.commissionRate === null && deal.commissionAmount
                  ? String(Number(deal.commissionAmount) / 10_000)
                  : '')
              }
              aria-invalid={errorsOf('amount') ? true : undefined}
              aria-describedby={errorsOf('amount') ? 'commission-amount-error' : undefined}
            />
            <ErrorList id="commission-amount-error" errors={errorsOf('amount')} />
          </div>
          {failed && !failed.fieldErrors ? <ErrorList errors={[failed.error]} /> : null}
          <button type="submit" className="button button--ghost" disabled={busy}>
            保存佣金
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function MovePanel({ page, actionData }: { page: DealPage; actionData: ActionData }) {
  const { deal, moves, canTakeUp } = page
  const busy = useNavigation().state !== 'idle'
  const errorFor = (form: string) =>
    actionData && 'form' in actionData && actionData.form === form ? actionData : undefined
  if (moves.length === 0 && !canTakeUp) {
    return (
      <section className="card" aria-labelledby="moves-title">
        <h2 id="moves-title">下一步</h2>
        <p className="empty">
          {deal.status === 'completed' || deal.status === 'cancelled'
            ? '合同已结束。'
            : deal.status === 'signed'
              ? '等待科技局认定登记。'
              : '当前没有需要您操作的步骤。'}
        </p>
      </section>
    )
  }
  const takeUpError = errorFor('take-up')
  return (
    <section className="card stack" aria-labelledby="moves-title">
      <h2 id="moves-title">下一步</h2>
      {canTakeUp ? (
        <Form method="post">
          <input type="hidden" name="intent" value="take-up" />
          <input type="hidden" name="version" value={deal.version} />
          <button type="submit" className="button" disabled={busy}>
            接手此合同
          </button>
          {takeUpError ? <ErrorList errors={[takeUpError.error]} /> : null}
        </Form>
      ) : null}
      {deal.status === 'signed' && moves.every((move) => move.to === 'cancelled') ? (
        <p className="muted">等待科技局认定登记。</p>
      ) : null}
      {moves.map((move) => (
        <MoveForm
          key={move.to}
          move={move}
          version={deal.version}
          deal={deal}
          failed={errorFor(move.to)}
          busy={busy}
        />
      ))}
    </section>
  )
}

type Failed = Extract<NonNullable<ActionData>, { form: string }> | undefined

function MoveForm({
  move,
  version,
  deal,
  failed,
  busy,
}: {
  move: DealMove
  version: number
  deal: DealPage['deal']
  failed: Failed
  busy: boolean
}) {
  const fieldErrors = failed?.fieldErrors ?? {}
  const value = (name: string, fallback = '') => failed?.values?.[name] ?? fallback
  const field = (name: string, label: string, input: React.ReactNode, help?: string) => (
    <div className={fieldErrors[name] ? 'field field--invalid' : 'field'}>
      <label htmlFor={`${move.to}-${name}`}>{label}</label>
      {input}
      {help ? (
        <p id={`${move.to}-${name}-help`} className="field-help">
          {help}
        </p>
      ) : null}
      <ErrorList id={`${move.to}-${name}-error`} errors={fieldErrors[name]} />
    </div>
  )
  const inputProps = (name: string, help = false) => ({
    id: `${move.to}-${name}`,
    name,
    'aria-invalid': fieldErrors[name] ? true : undefined,
    'aria-describedby':
      [help ? `${move.to}-${name}-help` : '', fieldErrors[name] ? `${move.to}-${name}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined,
  })
  // Dates are the parties' calendar days, in China.
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
  const body = (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="to" value={move.to} />
      <input type="hidden" name="version" value={version} />
      {failed && !failed.fieldErrors ? (
        <p className="notice notice--error" role="alert">
          {failed.error}
        </p>
      ) : null}
      {move.needs === 'signing' ? (
        <>
          {field(
            'contractType',
            '合同类别',
            <select {...inputProps('contractType')} defaultValue={value('contractType')} required>
              <option value="">请选择</option>
              {Object.values(ContractType).map((type) => (
                <option key={type} value={type}>
                  {contractTypeLabels[type]}
                </option>
              ))}
            </select>,
          )}
          {field(
            'subType',
            '合同子类',
            <select {...inputProps('subType')} defaultValue={value('subType')}>
              <option value="">不细分</option>
              {Object.entries(CONTRACT_SUBTYPES).map(([type, subTypes]) => (
                <optgroup key={type} label={contractTypeLabels[type as ContractType]}>
                  {subTypes.map((subType) => (
                    <option key={subType} value={subType}>
                      {subType}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>,
          )}
          {field(
            'contractAmount',
            '合同金额（万元）',
            <input
              {...inputProps('contractAmount')}
              inputMode="decimal"
              defaultValue={value('contractAmount')}
              required
            />,
          )}
          {field(
            'techTransactionAmount',
            '技术交易额（万元）',
            <input
              {...inputProps('techTransactionAmount', true)}
              inputMode="decimal"
              defaultValue={value('techTransactionAmount')}
            />,
            '合同金额中技术部分的金额，不含设备、材料等非技术费用；不超过合同金额',
          )}
          {field(
            'signedAt',
            '签约日期',
            <input
              {...inputProps('signedAt')}
              type="date"
              max={today}
              defaultValue={value('signedAt', today)}
              required
            />,
          )}
        </>
      ) : null}
      {move.needs === 'registration' ? (
        <>
          {field(
            'registrationNo',
            '登记编号',
            <input
              {...inputProps('registrationNo', true)}
              inputMode="numeric"
              maxLength={16}
              defaultValue={value('registrationNo')}
              required
            />,
            '16 位数字：年份、登记机构地区代码、流水号，如 2026610113000123',
          )}
          {field(
            'registeredAt',
            '登记日期',
            <input
              {...inputProps('registeredAt')}
              type="date"
              max={today}
              defaultValue={value('registeredAt', today)}
              required
            />,
          )}
          {field(
            'assessedAmount',
            '核定技术交易额（万元）',
            <input
              {...inputProps('assessedAmount')}
              inputMode="decimal"
              defaultValue={value(
                'assessedAmount',
                deal.techTransactionAmount
                  ? String(Number(deal.techTransactionAmount) / 10_000)
                  : '',
              )}
              required
            />,
          )}
        </>
      ) : null}
      {move.needs === 'reason'
        ? field(
            'reason',
            '取消原因',
            <textarea
              {...inputProps('reason')}
              rows={2}
              maxLength={200}
              defaultValue={value('reason')}
              required
            />,
          )
        : null}
      {field(
        'note',
        '备注（选填）',
        <textarea {...inputProps('note')} rows={2} maxLength={500} defaultValue={value('note')} />,
      )}
      <div>
        <button
          type="submit"
          className={move.to === 'cancelled' ? 'button button--ghost' : 'button'}
          disabled={busy}
        >
          {move.label}
        </button>
      </div>
    </Form>
  )
  // Cancelling is kept out of the way; the step forward is open.
  return move.to === 'cancelled' ? (
    <details className="move-details" open={!!failed}>
      <summary>取消合同…</summary>
      {body}
    </details>
  ) : (
    <div className="move-form">
      <h3>{move.label}</h3>
      {body}
    </div>
  )
}

function Timeline({ events }: { events: DealPage['deal']['events'] }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">进展记录</h2>
      <ol className="timeline">
        {events.map((event) => (
          <li key={event.id} className="timeline__item">
            <time dateTime={event.createdAt}>{formatDate(event.createdAt)}</time>
            <p>
              {event.toStatus && event.toStatus !== event.fromStatus
                ? event.fromStatus
                  ? `${dealStatusLabels[event.fromStatus]} → ${dealStatusLabels[event.toStatus]}`
                  : `发起：${dealStatusLabels[event.toStatus]}`
                : '记录'}
              {event.actor ? (
                <span className="muted">
                  {' '}
                  · {event.actor.displayName}（{roleLabels[event.actor.role]}）
                </span>
              ) : null}
            </p>
            {event.note ? <p className="muted">{event.note}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.deal.title} · 合同 · 西安科技大市场` : '合同 · 西安科技大市场' },
]
