-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'deal_message';

-- DropIndex
DROP INDEX "Message_dealId_createdAt_idx";

-- AlterTable
ALTER TABLE "Message" DROP COLUMN "updatedAt",
ALTER COLUMN "body" SET DATA TYPE VARCHAR(4000);

-- CreateTable
CREATE TABLE "DealReadMark" (
    "dealId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DealReadMark_pkey" PRIMARY KEY ("dealId","userId")
);

-- CreateIndex
CREATE INDEX "DealReadMark_userId_idx" ON "DealReadMark"("userId");

-- CreateIndex
CREATE INDEX "Message_dealId_createdAt_id_idx" ON "Message"("dealId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "DealReadMark" ADD CONSTRAINT "DealReadMark_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealReadMark" ADD CONSTRAINT "DealReadMark_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A message says something: the room never stores an empty or blank one, whoever writes.
ALTER TABLE "Message" ADD CONSTRAINT "Message_body_check" CHECK (btrim(body) <> '');
