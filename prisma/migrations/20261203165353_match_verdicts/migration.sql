-- CreateEnum
CREATE TYPE "MatchSide" AS ENUM ('need', 'offer');

-- CreateEnum
CREATE TYPE "MatchVerdict" AS ENUM ('interested', 'declined');

-- CreateEnum
CREATE TYPE "MatchDeclineReason" AS ENUM ('not_relevant', 'too_early', 'price', 'route_unclear', 'already_solved', 'other');

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'match_suggested';
ALTER TYPE "NotificationKind" ADD VALUE 'match_interested';

-- AlterTable
ALTER TABLE "Match" DROP COLUMN "declineReason";

-- CreateTable
CREATE TABLE "MatchFeedback" (
    "id" TEXT NOT NULL,
    "matchId" TEXT NOT NULL,
    "side" "MatchSide" NOT NULL,
    "verdict" "MatchVerdict" NOT NULL,
    "reason" "MatchDeclineReason",
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MatchFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MatchFeedback_reason_idx" ON "MatchFeedback"("reason");

-- CreateIndex
CREATE UNIQUE INDEX "MatchFeedback_matchId_side_key" ON "MatchFeedback"("matchId", "side");

-- AddForeignKey
ALTER TABLE "MatchFeedback" ADD CONSTRAINT "MatchFeedback_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatchFeedback" ADD CONSTRAINT "MatchFeedback_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A declined verdict always says why; an interested one never carries a reason.
ALTER TABLE "MatchFeedback" ADD CONSTRAINT "MatchFeedback_reason_when_declined"
  CHECK (("verdict" = 'declined') = ("reason" IS NOT NULL));
