import { Link } from '@remix-run/react'

/**
 * What a pending member sees on every page: whom they asked to join and what they may do
 * until someone with the right to admit decides.
 */
export function MembershipNotice({
  user,
}: {
  user: { membership?: string | null; org: { name: string } | null } | null
}) {
  if (!user?.org || user.membership !== 'pending') return null
  return (
    <div className="membership-notice" role="status">
      <p>
        您加入“{user.org.name}
        ”的申请正在等待该单位具有审核权限的成员或平台工作人员审核。审核通过前，您可以准备草稿，但不能提交审核，也不能修改单位已有的信息。
        <Link to="/account">查看账户</Link>
      </p>
    </div>
  )
}

/** A link for those who decide on requests to join, while requests wait for them. */
export function PendingMembersLink({ count }: { count: number | undefined }) {
  if (!count) return null
  return (
    <Link to="/org/members" className="pending-members-link">
      成员审核<span className="pending-members-link__count">{count}</span>
      <span className="visually-hidden">条待处理</span>
    </Link>
  )
}
