-- CreateEnum
CREATE TYPE "PrincipalRole" AS ENUM ('enterprise', 'bank', 'guaranteeInstitution', 'supervisor', 'admin');

-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('active', 'suspended', 'retired');

-- AlterTable
ALTER TABLE "Enterprise" ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedBy" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'api',
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "FinancingRequest" ADD COLUMN     "eligibleBankIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "poolClosesAt" TIMESTAMP(3),
ADD COLUMN     "productId" UUID;

-- CreateTable
CREATE TABLE "Principal" (
    "id" UUID NOT NULL,
    "role" "PrincipalRole" NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "passwordHash" TEXT,
    "enterpriseId" UUID,
    "bankId" TEXT,
    "branch" TEXT,
    "region" VARCHAR(6),
    "guaranteeInstitutionId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Principal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "principalId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessAudit" (
    "id" BIGSERIAL NOT NULL,
    "principalId" UUID,
    "role" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "ip" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "minAmountFen" BIGINT NOT NULL,
    "maxAmountFen" BIGINT NOT NULL,
    "minTermMonths" INTEGER NOT NULL,
    "maxTermMonths" INTEGER NOT NULL,
    "minAnnualRateBp" INTEGER NOT NULL,
    "maxAnnualRateBp" INTEGER NOT NULL,
    "guaranteeMethods" "GuaranteeMethod"[],
    "industries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "minScore" INTEGER,
    "minRegisteredCapitalFen" BIGINT,
    "maxRegisteredCapitalFen" BIGINT,
    "firstLoanOnly" BOOLEAN NOT NULL DEFAULT false,
    "requiredTags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "policyProduct" BOOLEAN NOT NULL DEFAULT false,
    "status" "ProductStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductMatch" (
    "productId" UUID NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "score" INTEGER NOT NULL,
    "reasons" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductMatch_pkey" PRIMARY KEY ("productId","financingRequestId")
);

-- CreateTable
CREATE TABLE "LoanCode" (
    "id" TEXT NOT NULL,
    "bankId" TEXT NOT NULL,
    "branch" TEXT,
    "region" VARCHAR(6),
    "label" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoanCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoanCodeSubmission" (
    "id" UUID NOT NULL,
    "loanCodeId" TEXT NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "trackingToken" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "ip" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoanCodeSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Principal_email_key" ON "Principal"("email");

-- CreateIndex
CREATE INDEX "Principal_enterpriseId_idx" ON "Principal"("enterpriseId");

-- CreateIndex
CREATE INDEX "Principal_bankId_idx" ON "Principal"("bankId");

-- CreateIndex
CREATE INDEX "Principal_guaranteeInstitutionId_idx" ON "Principal"("guaranteeInstitutionId");

-- CreateIndex
CREATE INDEX "ApiKey_principalId_idx" ON "ApiKey"("principalId");

-- CreateIndex
CREATE INDEX "AccessAudit_principalId_at_idx" ON "AccessAudit"("principalId", "at");

-- CreateIndex
CREATE INDEX "AccessAudit_at_idx" ON "AccessAudit"("at");

-- CreateIndex
CREATE INDEX "Product_status_bankId_idx" ON "Product"("status", "bankId");

-- CreateIndex
CREATE INDEX "Product_status_maxAmountFen_idx" ON "Product"("status", "maxAmountFen");

-- CreateIndex
CREATE INDEX "Product_status_minAnnualRateBp_idx" ON "Product"("status", "minAnnualRateBp");

-- CreateIndex
CREATE INDEX "ProductMatch_bankId_createdAt_idx" ON "ProductMatch"("bankId", "createdAt");

-- CreateIndex
CREATE INDEX "LoanCode_bankId_idx" ON "LoanCode"("bankId");

-- CreateIndex
CREATE UNIQUE INDEX "LoanCodeSubmission_trackingToken_key" ON "LoanCodeSubmission"("trackingToken");

-- CreateIndex
CREATE UNIQUE INDEX "LoanCodeSubmission_dedupeKey_key" ON "LoanCodeSubmission"("dedupeKey");

-- CreateIndex
CREATE INDEX "LoanCodeSubmission_loanCodeId_createdAt_idx" ON "LoanCodeSubmission"("loanCodeId", "createdAt");

-- CreateIndex
CREATE INDEX "FinancingRequest_enterpriseId_createdAt_idx" ON "FinancingRequest"("enterpriseId", "createdAt");

-- CreateIndex
CREATE INDEX "FinancingRequest_productId_idx" ON "FinancingRequest"("productId");

-- CreateIndex
CREATE INDEX "FinancingRequest_poolClosesAt_idx" ON "FinancingRequest"("poolClosesAt");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Principal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_bankId_fkey" FOREIGN KEY ("bankId") REFERENCES "Bank"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

