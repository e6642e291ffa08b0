// Deals: by externalId, between two organizations named in the row, optionally linked to an
// imported result and need and to a broker's account. Each write is logged as a DealEvent.
import { canReach, DEAL_STATUS_LABELS } from '~/domain/deals'
import { clampText, TEXT_LIMITS } from '~/domain/limits'
import type { DealStatus } from '~/generated/prisma/enums'
import { contractTypeLabels } from '~/utils/labels'

import {
  distinct,
  findByExternalId,
  findOrganizations,
  reportDuplicates,
  resolveOrganization,
  type KindWriter,
} from './references.server'
import type { RowOf } from './validate.server'
import { toChinaDate, type TableSpec } from './write.server'

/** On update, a deal keeps its region snapshot unless that party itself changed. */
function keptSnapshot(party: 'seller' | 'buyer') {
  const [org, region] = [`"${party}OrgId"`, `"${party}RegionCode"`]
  return `CASE WHEN t.${org} = EXCLUDED.${org} AND t.${region} IS NOT NULL
    THEN t.${region} ELSE EXCLUDED.${region} END`
}

const dealSpec: TableSpec = {
  table: 'Deal',
  conflict: 'externalId',
  columns: [
    'title',
    'contractType',
    'subType',
    'sellerOrgId',
    'buyerOrgId',
    'brokerId',
    'needId',
    'resultId',
    'contractAmount',
    'techTransactionAmount',
    'status',
    'signedAt',
    'registeredAt',
    'registrationNo',
    'fieldCode',
  ],
  // The snapshot taken when the deal was first imported stays, unless the party changed.
  derived: {
    sellerRegionCode: keptSnapshot('seller'),
    buyerRegionCode: keptSnapshot('buyer'),
  },
  bumpVersion: true,
  logStatus: true,
}

export const dealsWriter: KindWriter<RowOf<'deals'>> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    reportDuplicates(candidates, 'registrationNo', '登记编号（registrationNo）', problems)
    const [organizations, results, needs, users, registered, existing] = await Promise.all([
      findOrganizations(db, distinct(candidates, 'sellerOrg', 'buyerOrg')),
      findByExternalId(db, 'Result', distinct(candidates, 'result')),
      findByExternalId(db, 'Need', distinct(candidates, 'need')),
      db.$queryRawUnsafe<{ id: string; email: string; role: string }[]>(
        `SELECT id, lower(email) AS email, role::text AS role FROM "User"
         WHERE lower(email) = ANY($1::text[])`,
        distinct(candidates, 'broker'),
      ),
      db.$queryRawUnsafe<{ externalId: string | null; registrationNo: string }[]>(
        `SELECT "externalId", "registrationNo" FROM "Deal"
         WHERE "registrationNo" = ANY($1::text[])`,
        distinct(candidates, 'registrationNo'),
      ),
      db.$queryRawUnsafe<{ externalId: string; status: DealStatus }[]>(
        `SELECT "externalId", status::text AS status FROM "Deal" WHERE "externalId" = ANY($1::text[])`,
        distinct(candidates, 'externalId'),
      ),
    ])
    const statusOf = new Map(existing.map((deal) => [deal.externalId, deal.status]))
    const userByEmail = new Map(users.map((user) => [user.email, user]))
    const registrationOwner = new Map(registered.map((deal) => [deal.registrationNo, deal]))
    const records: Record<string, unknown>[] = []

    for (const candidate of candidates) {
      const { row, fields } = candidate
      const seller = resolveOrganization(
        candidate,
        'sellerOrg',
        '卖方单位（sellerOrg）',
        organizations,
        problems,
      )
      const buyer = resolveOrganization(
        candidate,
        'buyerOrg',
        '买方单位（buyerOrg）',
        organizations,
        problems,
      )
      if (seller && buyer && seller.id === buyer.id) {
        problems.push({ row, field: 'buyerOrg', message: '买方单位与卖方单位不能是同一家单位' })
      }
      const resultId = fields.result !== undefined ? results.get(fields.result) : undefined
      if (fields.result !== undefined && !resultId) {
        problems.push({
          row,
          field: 'result',
          message: `关联成果（result）“${fields.result}”不存在（应为已导入成果的 externalId）`,
        })
      }
      const needId = fields.need !== undefined ? needs.get(fields.need) : undefined
      if (fields.need !== undefined && !needId) {
        problems.push({
          row,
          field: 'need',
          message: `关联需求（need）“${fields.need}”不存在（应为已导入需求的 externalId）`,
        })
      }
      const broker = fields.broker !== undefined ? userByEmail.get(fields.broker) : undefined
      if (fields.broker !== undefined && broker?.role !== 'broker') {
        problems.push({
          row,
          field: 'broker',
          message: broker
            ? `账号 ${fields.broker} 不是技术经纪人`
            : `技术经纪人（broker）账号 ${fields.broker} 不存在`,
        })
      }
      // A contract imported again moves on by the table of moves, never back.
      const before = fields.externalId !== undefined ? statusOf.get(fields.externalId) : undefined
      const after = candidate.data?.status
      if (before && after && !canReach(before, after)) {
        problems.push({
          row,
          field: 'status',
          message: `合同状态（status）不能从“${DEAL_STATUS_LABELS[before]}”改为“${DEAL_STATUS_LABELS[after]}”`,
        })
      }
      const owner =
        fields.registrationNo !== undefined
          ? registrationOwner.get(fields.registrationNo)
          : undefined
      if (owner && (owner.externalId === null || owner.externalId !== fields.externalId)) {
        problems.push({
          row,
          field: 'registrationNo',
          message: `登记编号（registrationNo）“${fields.registrationNo}”已属于另一份合同`,
        })
      }

      const { data } = candidate
      if (!data || !seller || !buyer || data.contractAmount === undefined) continue
      records.push({
        externalId: data.externalId ?? null,
        title: data.title ?? dealTitle(seller.name, buyer.name, data.subType, data.contractType),
        contractType: data.contractType,
        subType: data.subType ?? null,
        sellerOrgId: seller.id,
        buyerOrgId: buyer.id,
        brokerId: broker?.id ?? null,
        needId: needId ?? null,
        resultId: resultId ?? null,
        contractAmount: data.contractAmount,
        techTransactionAmount: data.techTransactionAmount ?? null,
        status: data.status,
        signedAt: toChinaDate(data.signedAt),
        registeredAt: toChinaDate(data.registeredAt),
        registrationNo: data.registrationNo ?? null,
        fieldCode: data.field ?? null,
        // Snapshots: a later move of either party must not rewrite the statistics of this deal.
        sellerRegionCode: seller.regionCode,
        buyerRegionCode: buyer.regionCode,
      })
    }
    return [{ spec: dealSpec, records }]
  },
}

/** A title for a deal file that gives none: the parties and the contract kind. */
function dealTitle(
  seller: string,
  buyer: string,
  subType: string | undefined,
  contractType: keyof typeof contractTypeLabels,
) {
  const title = `${seller}与${buyer}${subType ?? contractTypeLabels[contractType]}合同`
  return clampText(title, TEXT_LIMITS.dealTitle)
}
