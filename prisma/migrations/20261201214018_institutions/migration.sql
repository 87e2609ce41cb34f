-- CreateEnum
CREATE TYPE "InstitutionKind" AS ENUM ('head_office', 'branch');

-- CreateEnum
CREATE TYPE "InstitutionRole" AS ENUM ('officer', 'approver', 'admin');

-- AlterTable
ALTER TABLE "Bank" ADD COLUMN     "creditCode" VARCHAR(18),
ADD COLUMN     "kind" "InstitutionKind",
ADD COLUMN     "nameEn" TEXT,
ADD COLUMN     "parentBankId" TEXT,
ADD COLUMN     "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedReason" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "GuaranteeInstitution" ADD COLUMN     "creditCode" VARCHAR(18),
ADD COLUMN     "feePolicyNote" TEXT,
ADD COLUMN     "feeRateBp" INTEGER,
ADD COLUMN     "kind" "InstitutionKind",
ADD COLUMN     "nameEn" TEXT,
ADD COLUMN     "parentId" TEXT,
ADD COLUMN     "region" VARCHAR(6),
ADD COLUMN     "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "suspendedReason" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Principal" ADD COLUMN     "institutionRole" "InstitutionRole",
ADD COLUMN     "mobile" TEXT;

-- CreateTable
CREATE TABLE "InstitutionAudit" (
    "id" BIGSERIAL NOT NULL,
    "institutionType" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" UUID NOT NULL,
    "reason" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstitutionAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimOfficer" (
    "financingRequestId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "principalId" UUID NOT NULL,
    "assignedBy" UUID NOT NULL,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimOfficer_pkey" PRIMARY KEY ("financingRequestId","bankId")
);

-- CreateIndex
CREATE INDEX "InstitutionAudit_institutionType_institutionId_at_idx" ON "InstitutionAudit"("institutionType", "institutionId", "at");

-- CreateIndex
CREATE INDEX "ClaimOfficer_principalId_idx" ON "ClaimOfficer"("principalId");

-- CreateIndex
CREATE UNIQUE INDEX "Bank_creditCode_key" ON "Bank"("creditCode");

-- CreateIndex
CREATE UNIQUE INDEX "GuaranteeInstitution_creditCode_key" ON "GuaranteeInstitution"("creditCode");

