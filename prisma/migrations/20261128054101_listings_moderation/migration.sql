-- CreateEnum
CREATE TYPE "ModerationOutcome" AS ENUM ('approved', 'rejected');

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "rejectionReason" VARCHAR(500),
ADD COLUMN     "submittedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Result" ADD COLUMN     "rejectionReason" VARCHAR(500),
ADD COLUMN     "submittedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ModerationDecision" (
    "id" TEXT NOT NULL,
    "entity" "SearchEntity" NOT NULL,
    "entityId" TEXT NOT NULL,
    "outcome" "ModerationOutcome" NOT NULL,
    "reason" VARCHAR(500),
    "moderatorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModerationDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModerationDecision_entity_entityId_createdAt_idx" ON "ModerationDecision"("entity", "entityId", "createdAt");

-- AddForeignKey
ALTER TABLE "ModerationDecision" ADD CONSTRAINT "ModerationDecision_moderatorId_fkey" FOREIGN KEY ("moderatorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
