-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('pending', 'active');

-- CreateEnum
CREATE TYPE "ListingKind" AS ENUM ('result', 'need');

-- CreateEnum
CREATE TYPE "TargetMetric" AS ENUM ('trade_value', 'local_conversion_rate');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('moderation_approved', 'moderation_rejected', 'membership_requested', 'membership_approved', 'membership_refused');

-- DropIndex
DROP INDEX "User_orgId_idx";

-- AlterTable
ALTER TABLE "DealEvent" DROP COLUMN "updatedAt";

-- AlterTable
ALTER TABLE "Expert" ADD COLUMN     "createdById" TEXT;

-- AlterTable: append-only rows have no updatedAt; the entity keeps its values as an enum
ALTER TABLE "ModerationDecision" DROP COLUMN "updatedAt",
ALTER COLUMN "entity" TYPE "ListingKind" USING ("entity"::text::"ListingKind");

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "createdById" TEXT;

-- AlterTable: kinds were written as `moderation.approved`
ALTER TABLE "Notification" ALTER COLUMN "kind" TYPE "NotificationKind" USING (replace("kind", '.', '_')::"NotificationKind");

-- AlterTable
ALTER TABLE "Result" ADD COLUMN     "createdById" TEXT;

-- AlterTable
ALTER TABLE "Target" ALTER COLUMN "metric" TYPE "TargetMetric" USING ("metric"::"TargetMetric");

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "admittedAt" TIMESTAMP(3),
ADD COLUMN     "admittedById" TEXT,
ADD COLUMN     "canAdmit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "membership" "MembershipStatus",
ADD COLUMN     "termsAcceptedAt" TIMESTAMP(3);

-- Everyone who already belongs to an organization keeps it; its earliest user may admit others.
UPDATE "User" SET "membership" = 'active' WHERE "orgId" IS NOT NULL;
UPDATE "User" AS u SET "canAdmit" = true
FROM (SELECT DISTINCT ON ("orgId") "id" FROM "User" WHERE "orgId" IS NOT NULL ORDER BY "orgId", "createdAt", "id") AS first
WHERE u."id" = first."id";

-- CreateTable
CREATE TABLE "PasswordResetToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PasswordResetToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" VARCHAR(200) NOT NULL,
    "count" INTEGER NOT NULL,
    "windowEndsAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "PasswordResetToken_tokenHash_key" ON "PasswordResetToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordResetToken_userId_idx" ON "PasswordResetToken"("userId");

-- CreateIndex
CREATE INDEX "RateLimitCounter_windowEndsAt_idx" ON "RateLimitCounter"("windowEndsAt");

-- CreateIndex
CREATE INDEX "User_orgId_membership_idx" ON "User"("orgId", "membership");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_admittedById_fkey" FOREIGN KEY ("admittedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordResetToken" ADD CONSTRAINT "PasswordResetToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expert" ADD CONSTRAINT "Expert_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

