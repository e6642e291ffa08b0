-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastDigestAt" TIMESTAMP(3);
