-- CreateEnum
CREATE TYPE "DealDocumentKind" AS ENUM ('contract', 'annex');

-- CreateTable
CREATE TABLE "DealDocument" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "uploaderId" TEXT,
    "kind" "DealDocumentKind" NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "contentType" VARCHAR(40) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DealDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DealDocument_dealId_createdAt_idx" ON "DealDocument"("dealId", "createdAt");

-- AddForeignKey
ALTER TABLE "DealDocument" ADD CONSTRAINT "DealDocument_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealDocument" ADD CONSTRAINT "DealDocument_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Only what the upload check lets in, whoever writes: a sniffed type, a size within the limit,
-- a SHA-256 digest in hex.
ALTER TABLE "DealDocument" ADD CONSTRAINT "DealDocument_contentType_check"
  CHECK ("contentType" IN ('application/pdf', 'image/png', 'image/jpeg'));
ALTER TABLE "DealDocument" ADD CONSTRAINT "DealDocument_size_check"
  CHECK (size > 0 AND size <= 10485760);
ALTER TABLE "DealDocument" ADD CONSTRAINT "DealDocument_sha256_check"
  CHECK (sha256 ~ '^[0-9a-f]{64}$');
