import { RESEARCH_ORG_KINDS } from '~/domain/constants'
import { prisma } from '~/utils/db.server'

/** Universities and institutes a researcher may join, for the registration form. */
export function listResearchOrganizations() {
  return prisma.organization.findMany({
    where: { kind: { in: [...RESEARCH_ORG_KINDS] } },
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    select: { id: true, name: true, kind: true },
  })
}
