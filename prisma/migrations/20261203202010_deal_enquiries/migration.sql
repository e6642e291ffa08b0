-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationKind" ADD VALUE 'deal_enquiry';
ALTER TYPE "NotificationKind" ADD VALUE 'deal_moved';

-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "expertId" TEXT,
ADD COLUMN     "matchId" TEXT,
ALTER COLUMN "contractType" DROP NOT NULL,
ALTER COLUMN "contractAmount" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "Expert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- From signing on a contract has its type, its amount and both parties' regions as they were
-- then; until then (意向, 洽谈, or cancelled before signing) they may still be unknown.
ALTER TABLE "Deal"
  ADD CONSTRAINT "Deal_signed_terms_check" CHECK (
    "status" NOT IN ('signed', 'registered', 'performing', 'completed')
    OR ("contractType" IS NOT NULL AND "contractAmount" IS NOT NULL
        AND "sellerRegionCode" IS NOT NULL AND "buyerRegionCode" IS NOT NULL)
  );

-- One open enquiry per pair of organizations and listing: a second 我要对接 opens the first.
-- Imported registry contracts (with an externalId) are not enquiries.
CREATE UNIQUE INDEX "Deal_open_enquiry_key" ON "Deal" (
  "sellerOrgId", "buyerOrgId", COALESCE("resultId", ''), COALESCE("needId", ''), COALESCE("expertId", '')
) WHERE "externalId" IS NULL
  AND "status" NOT IN ('completed', 'cancelled')
  AND num_nonnulls("resultId", "needId", "expertId") > 0;

CREATE INDEX "Deal_expertId_idx" ON "Deal" ("expertId");
