-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "commissionRate" DECIMAL(6,4);

-- A rate is a share of the contract: above nothing and at most 30 %.
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_commissionRate_check"
  CHECK ("commissionRate" IS NULL OR ("commissionRate" > 0 AND "commissionRate" <= 0.3));
