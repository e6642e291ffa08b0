import { Form, Link, useNavigation } from '@remix-run/react'

import { MESSAGE_MAX_LENGTH } from '~/domain/deals'
import { ENQUIRE_INTENT } from '~/validation/deals'

import { ErrorList } from './forms'

/**
 * 我要对接 on a listing's page: a short message that starts a deal with the listing's owner.
 * Visitors are sent to sign in first; the owner's own members and roles that do not trade see
 * nothing.
 */
export function EnquiryPanel({
  access,
  redirectTo,
  error,
  message,
}: {
  access: 'sign-in' | 'allowed' | 'own' | 'none'
  redirectTo: string
  error?: string
  message?: string
}) {
  const busy = useNavigation().state !== 'idle'
  if (access === 'own' || access === 'none') return null
  return (
    <section className="card" aria-labelledby="enquiry-title">
      <h2 id="enquiry-title">我要对接</h2>
      {access === 'sign-in' ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`}>登录</Link>
          后即可与发布方联系，平台技术经纪人可协助洽谈、签约和登记。
        </p>
      ) : (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value={ENQUIRE_INTENT} />
          <div className={error ? 'field field--invalid' : 'field'}>
            <label htmlFor="enquiry-message">留言</label>
            <textarea
              id="enquiry-message"
              name="message"
              rows={4}
              maxLength={MESSAGE_MAX_LENGTH}
              required
              defaultValue={message}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'enquiry-message-error enquiry-help' : 'enquiry-help'}
              placeholder="简要说明贵单位的情况和希望合作的方式"
            />
            <p id="enquiry-help" className="field-help">
              发送后对方会收到通知，双方在洽谈室继续沟通。
            </p>
            <ErrorList id="enquiry-message-error" errors={error ? [error] : null} />
          </div>
          <div>
            <button type="submit" className="button" disabled={busy}>
              发起对接
            </button>
          </div>
        </Form>
      )}
    </section>
  )
}
