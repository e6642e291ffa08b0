-- CreateEnum
CREATE TYPE "OrgKind" AS ENUM ('university', 'institute', 'enterprise', 'broker_agency', 'government');

-- CreateEnum
CREATE TYPE "EnterpriseSize" AS ENUM ('micro', 'small', 'medium', 'large');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('enterprise', 'researcher', 'broker', 'bureau', 'admin');

-- CreateEnum
CREATE TYPE "IpType" AS ENUM ('invention_patent', 'utility_model', 'design_patent', 'software_copyright', 'ic_layout', 'plant_variety', 'technical_secret', 'none');

-- CreateEnum
CREATE TYPE "TransferMode" AS ENUM ('transfer', 'license', 'equity', 'co_development');

-- CreateEnum
CREATE TYPE "CooperationMode" AS ENUM ('commissioned_development', 'co_development', 'transfer', 'license', 'consulting', 'service');

-- CreateEnum
CREATE TYPE "ResultStatus" AS ENUM ('draft', 'pending_review', 'rejected', 'published', 'in_negotiation', 'transferred', 'withdrawn', 'expired');

-- CreateEnum
CREATE TYPE "NeedStatus" AS ENUM ('draft', 'pending_review', 'rejected', 'open', 'in_deal', 'solved', 'closed', 'expired');

-- CreateEnum
CREATE TYPE "MatchSource" AS ENUM ('engine', 'broker', 'self');

-- CreateEnum
CREATE TYPE "MatchStatus" AS ENUM ('suggested', 'interested', 'contacted', 'deal', 'declined');

-- CreateEnum
CREATE TYPE "ContractType" AS ENUM ('development', 'transfer', 'license', 'consulting', 'service');

-- CreateEnum
CREATE TYPE "DealStatus" AS ENUM ('intent', 'negotiating', 'signed', 'registered', 'performing', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "SearchEntity" AS ENUM ('result', 'need', 'expert');

-- CreateEnum
CREATE TYPE "OutboxOp" AS ENUM ('upsert', 'delete');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "name" VARCHAR(100) NOT NULL,
    "kind" "OrgKind" NOT NULL,
    "creditCode" VARCHAR(18),
    "regionCode" VARCHAR(6) NOT NULL,
    "zone" VARCHAR(50),
    "highTech" BOOLEAN NOT NULL DEFAULT false,
    "littleGiant" BOOLEAN NOT NULL DEFAULT false,
    "size" "EnterpriseSize",
    "industry" VARCHAR(50),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "displayName" VARCHAR(50) NOT NULL,
    "role" "Role" NOT NULL,
    "orgId" TEXT,
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "userAgent" VARCHAR(300),
    "ip" VARCHAR(64),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Expert" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "name" VARCHAR(50) NOT NULL,
    "title" VARCHAR(50),
    "orgId" TEXT NOT NULL,
    "userId" TEXT,
    "fields" TEXT[],
    "keywords" TEXT[],
    "bio" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Expert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Result" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "title" VARCHAR(100) NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT,
    "fieldCode" VARCHAR(3) NOT NULL,
    "keywords" TEXT[],
    "trl" SMALLINT NOT NULL,
    "ipType" "IpType",
    "patentNos" TEXT[],
    "transferModes" "TransferMode"[],
    "askingPrice" DECIMAL(18,2),
    "status" "ResultStatus" NOT NULL DEFAULT 'draft',
    "orgId" TEXT NOT NULL,
    "leadExpertId" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Result_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Need" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "title" VARCHAR(100) NOT NULL,
    "description" TEXT NOT NULL,
    "fieldCode" VARCHAR(3) NOT NULL,
    "keywords" TEXT[],
    "budgetMin" DECIMAL(18,2),
    "budgetMax" DECIMAL(18,2),
    "deadline" DATE,
    "cooperationModes" "CooperationMode"[],
    "status" "NeedStatus" NOT NULL DEFAULT 'draft',
    "orgId" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Need_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Match" (
    "id" TEXT NOT NULL,
    "needId" TEXT NOT NULL,
    "resultId" TEXT,
    "expertId" TEXT,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "source" "MatchSource" NOT NULL,
    "status" "MatchStatus" NOT NULL DEFAULT 'suggested',
    "declineReason" VARCHAR(50),
    "brokerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Match_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "title" VARCHAR(100) NOT NULL,
    "contractType" "ContractType" NOT NULL,
    "subType" VARCHAR(30),
    "sellerOrgId" TEXT NOT NULL,
    "buyerOrgId" TEXT NOT NULL,
    "brokerId" TEXT,
    "needId" TEXT,
    "resultId" TEXT,
    "contractAmount" DECIMAL(18,2) NOT NULL,
    "techTransactionAmount" DECIMAL(18,2),
    "commissionAmount" DECIMAL(18,2),
    "status" "DealStatus" NOT NULL DEFAULT 'intent',
    "cancelReason" VARCHAR(200),
    "signedAt" DATE,
    "registeredAt" DATE,
    "registrationNo" VARCHAR(40),
    "fieldCode" VARCHAR(3),
    "sellerRegionCode" VARCHAR(6),
    "buyerRegionCode" VARCHAR(6),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DealEvent" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "actorId" TEXT,
    "fromStatus" "DealStatus",
    "toStatus" "DealStatus",
    "note" VARCHAR(500),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DealEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "senderId" TEXT NOT NULL,
    "body" VARCHAR(2000) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" VARCHAR(1000),
    "link" VARCHAR(300),
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "metric" VARCHAR(40) NOT NULL,
    "value" DECIMAL(18,4) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchOutbox" (
    "seq" BIGSERIAL NOT NULL,
    "entity" "SearchEntity" NOT NULL,
    "entityId" TEXT NOT NULL,
    "op" "OutboxOp" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "processedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchOutbox_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_externalId_key" ON "Organization"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_name_key" ON "Organization"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_creditCode_key" ON "Organization"("creditCode");

-- CreateIndex
CREATE INDEX "Organization_kind_idx" ON "Organization"("kind");

-- CreateIndex
CREATE INDEX "Organization_regionCode_idx" ON "Organization"("regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_orgId_idx" ON "User"("orgId");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Expert_externalId_key" ON "Expert"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Expert_userId_key" ON "Expert"("userId");

-- CreateIndex
CREATE INDEX "Expert_orgId_idx" ON "Expert"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "Result_externalId_key" ON "Result"("externalId");

-- CreateIndex
CREATE INDEX "Result_status_publishedAt_idx" ON "Result"("status", "publishedAt");

-- CreateIndex
CREATE INDEX "Result_fieldCode_idx" ON "Result"("fieldCode");

-- CreateIndex
CREATE INDEX "Result_orgId_idx" ON "Result"("orgId");

-- CreateIndex
CREATE INDEX "Result_expiresAt_idx" ON "Result"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Need_externalId_key" ON "Need"("externalId");

-- CreateIndex
CREATE INDEX "Need_status_publishedAt_idx" ON "Need"("status", "publishedAt");

-- CreateIndex
CREATE INDEX "Need_fieldCode_idx" ON "Need"("fieldCode");

-- CreateIndex
CREATE INDEX "Need_orgId_idx" ON "Need"("orgId");

-- CreateIndex
CREATE INDEX "Need_expiresAt_idx" ON "Need"("expiresAt");

-- CreateIndex
CREATE INDEX "Match_resultId_idx" ON "Match"("resultId");

-- CreateIndex
CREATE INDEX "Match_expertId_idx" ON "Match"("expertId");

-- CreateIndex
CREATE UNIQUE INDEX "Match_needId_resultId_key" ON "Match"("needId", "resultId");

-- CreateIndex
CREATE UNIQUE INDEX "Match_needId_expertId_key" ON "Match"("needId", "expertId");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_externalId_key" ON "Deal"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Deal_registrationNo_key" ON "Deal"("registrationNo");

-- CreateIndex
CREATE INDEX "Deal_status_registeredAt_idx" ON "Deal"("status", "registeredAt");

-- CreateIndex
CREATE INDEX "Deal_sellerOrgId_idx" ON "Deal"("sellerOrgId");

-- CreateIndex
CREATE INDEX "Deal_buyerOrgId_idx" ON "Deal"("buyerOrgId");

-- CreateIndex
CREATE INDEX "Deal_brokerId_idx" ON "Deal"("brokerId");

-- CreateIndex
CREATE INDEX "DealEvent_dealId_createdAt_idx" ON "DealEvent"("dealId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_dealId_createdAt_idx" ON "Message"("dealId", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE UNIQUE INDEX "Target_year_metric_key" ON "Target"("year", "metric");

-- CreateIndex
CREATE INDEX "SearchOutbox_processedAt_seq_idx" ON "SearchOutbox"("processedAt", "seq");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expert" ADD CONSTRAINT "Expert_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expert" ADD CONSTRAINT "Expert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Result" ADD CONSTRAINT "Result_leadExpertId_fkey" FOREIGN KEY ("leadExpertId") REFERENCES "Expert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "Result"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_expertId_fkey" FOREIGN KEY ("expertId") REFERENCES "Expert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_sellerOrgId_fkey" FOREIGN KEY ("sellerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_buyerOrgId_fkey" FOREIGN KEY ("buyerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "Result"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DealEvent" ADD CONSTRAINT "DealEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
