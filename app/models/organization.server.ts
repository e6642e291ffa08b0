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

export function getOrganization(id: string) {
  return prisma.organization.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      kind: true,
      regionCode: true,
      zone: true,
      highTech: true,
      littleGiant: true,
      creditCode: true,
    },
  })
}
