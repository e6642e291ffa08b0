import type { MembershipStatus } from '~/generated/prisma/enums'

import { MODERATOR_ROLES } from './constants'

/**
 * Platform staff (技术经纪人, 科技局, 平台管理员) may admit anyone to any organization: they are
 * the roles that already vouch for what the market publishes, so the set is the moderators'.
 */
export const MEMBERSHIP_STAFF_ROLES = MODERATOR_ROLES

/** Who acts for an organization: membership of it is granted by an admitting member or staff. */
export interface OrgActor {
  id: string
  role: string
  membership: MembershipStatus | null
  canAdmit?: boolean
  org: { id: string } | null
}

export function isMembershipStaff(user: { role: string } | null | undefined) {
  return !!user && (MEMBERSHIP_STAFF_ROLES as readonly string[]).includes(user.role)
}

/** A member whose admission was granted: only they change what their organization owns. */
export function isActiveMember(
  user: Pick<OrgActor, 'membership' | 'org'> | null | undefined,
): user is Pick<OrgActor, 'membership'> & { org: { id: string } } {
  return !!user?.org && user.membership === 'active'
}

/** Someone who asked to join an organization and waits for an admitting member or staff. */
export function isPendingMember(user: Pick<OrgActor, 'membership' | 'org'> | null | undefined) {
  return !!user?.org && user.membership === 'pending'
}

/**
 * An expert profile is public when an operator imported it (no creator) or an admitted member
 * wrote it; one prepared by someone still waiting for admission is not. The public lists ask
 * the same of the database (publicExpertWhere in app/models/expert.server.ts).
 */
export function isPublicExpertProfile(createdBy: { membership: MembershipStatus | null } | null) {
  return createdBy === null || createdBy.membership === 'active'
}

/** Why a pending member's press of a listing's buttons is refused. */
export const PENDING_MEMBER_REFUSAL =
  '您加入该单位的申请尚在审核中：审核通过后才能提交审核、撤回或确认单位的信息'

/** Whether `user` may decide on requests to join `orgId` (and grant the right to admit there). */
export function canAdmitTo(user: OrgActor | null | undefined, orgId: string) {
  if (!user) return false
  if (isMembershipStaff(user)) return true
  return isActiveMember(user) && user.canAdmit === true && user.org.id === orgId
}

/** Whether `user` reviews membership requests at all (of their organization, or of every one). */
export function reviewsMemberships(user: OrgActor | null | undefined) {
  return !!user && (isMembershipStaff(user) || (isActiveMember(user) && user.canAdmit === true))
}

/**
 * Whether `actor` may edit a listing of an organization: every active member may; a pending
 * member only the drafts they prepared themselves while they wait.
 */
export function canEditOrgListing(
  actor: OrgActor | null | undefined,
  listing: { orgId: string; createdById: string | null; status: string },
) {
  if (!actor?.org || actor.org.id !== listing.orgId) return false
  if (isActiveMember(actor)) return true
  return isPendingMember(actor) && listing.createdById === actor.id && listing.status === 'draft'
}
