-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EnterpriseStatus" AS ENUM ('pending_review', 'active', 'suspended');

-- CreateEnum
CREATE TYPE "GuaranteeMethod" AS ENUM ('credit', 'guarantee', 'mortgage', 'combination', 'pledge', 'other');

-- CreateEnum
CREATE TYPE "Routing" AS ENUM ('directed', 'pool');

-- CreateEnum
CREATE TYPE "OfferSelection" AS ENUM ('enterprise_choice', 'first_approval');

-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('published', 'accepted', 'under_review', 'approved', 'disbursed', 'closed');

-- CreateEnum
CREATE TYPE "CloseReason" AS ENUM ('completed', 'withdrawn', 'expired', 'unmatched', 'all_declined');

-- CreateEnum
CREATE TYPE "ClaimOrigin" AS ENUM ('directed', 'grab', 'product');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('offered', 'accepted', 'under_review', 'approved', 'guarantee_pending', 'disbursed', 'declined', 'rejected', 'expired', 'withdrawn', 'not_chosen', 'released');

-- CreateEnum
CREATE TYPE "GuaranteeStatus" AS ENUM ('requested', 'approved', 'declined', 'expired');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('sms', 'email', 'webhook', 'inbox');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'held', 'sent', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "Enterprise" (
    "id" UUID NOT NULL,
    "creditCode" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "contactMobile" TEXT NOT NULL,
    "email" TEXT,
    "industry" VARCHAR(1) NOT NULL,
    "region" VARCHAR(6) NOT NULL,
    "registeredCapitalFen" BIGINT NOT NULL,
    "status" "EnterpriseStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Enterprise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bank" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" VARCHAR(6) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "email" TEXT,
    "mobile" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Bank_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuaranteeInstitution" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isFund" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "email" TEXT,
    "mobile" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuaranteeInstitution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FinancingRequest" (
    "id" UUID NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "termMonths" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "guaranteeMethod" "GuaranteeMethod" NOT NULL,
    "routing" "Routing" NOT NULL,
    "directedBankIds" TEXT[],
    "fallbackToPool" BOOLEAN NOT NULL,
    "dataConsent" BOOLEAN NOT NULL,
    "offerSelection" "OfferSelection" NOT NULL DEFAULT 'enterprise_choice',
    "stage" "Stage" NOT NULL DEFAULT 'published',
    "closeReason" "CloseReason",
    "policyVersion" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FinancingRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" TEXT NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "origin" "ClaimOrigin" NOT NULL,
    "status" "ClaimStatus" NOT NULL,
    "deadlineAt" TIMESTAMP(3),
    "reason" TEXT,
    "approvedAmountFen" BIGINT,
    "annualRateBp" INTEGER,
    "offerTermMonths" INTEGER,
    "repaymentMethod" TEXT,
    "needsGuarantee" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageEvent" (
    "id" BIGSERIAL NOT NULL,
    "eventKey" TEXT NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "claimId" TEXT,
    "event" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detail" JSONB,

    CONSTRAINT "StageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Guarantee" (
    "id" TEXT NOT NULL,
    "claimId" TEXT NOT NULL,
    "guaranteeInstitutionId" TEXT NOT NULL,
    "status" "GuaranteeStatus" NOT NULL,
    "feeFen" BIGINT,
    "fundShareBp" INTEGER,
    "bankShareBp" INTEGER,
    "guarantorShareBp" INTEGER,
    "reason" TEXT,
    "deadlineAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Guarantee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Loan" (
    "id" TEXT NOT NULL,
    "claimId" TEXT NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "annualRateBp" INTEGER NOT NULL,
    "termMonths" INTEGER NOT NULL,
    "repaymentMethod" TEXT NOT NULL,
    "disbursedOn" DATE NOT NULL,
    "firstLoan" BOOLEAN NOT NULL,
    "creditLoan" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Loan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" TEXT NOT NULL,
    "financingRequestId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "meetsNeed" INTEGER NOT NULL,
    "cost" INTEGER NOT NULL,
    "speed" INTEGER NOT NULL,
    "communication" INTEGER NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "financingRequestId" UUID,
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "templateId" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerMessageId" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Enterprise_creditCode_key" ON "Enterprise"("creditCode");

-- CreateIndex
CREATE UNIQUE INDEX "FinancingRequest_workflowId_key" ON "FinancingRequest"("workflowId");

-- CreateIndex
CREATE INDEX "FinancingRequest_stage_updatedAt_idx" ON "FinancingRequest"("stage", "updatedAt");

-- CreateIndex
CREATE INDEX "FinancingRequest_createdAt_idx" ON "FinancingRequest"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FinancingRequest_enterpriseId_idempotencyKey_key" ON "FinancingRequest"("enterpriseId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Claim_bankId_status_idx" ON "Claim"("bankId", "status");

-- CreateIndex
CREATE INDEX "Claim_status_deadlineAt_idx" ON "Claim"("status", "deadlineAt");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_financingRequestId_bankId_key" ON "Claim"("financingRequestId", "bankId");

-- CreateIndex
CREATE UNIQUE INDEX "StageEvent_eventKey_key" ON "StageEvent"("eventKey");

-- CreateIndex
CREATE INDEX "StageEvent_financingRequestId_at_idx" ON "StageEvent"("financingRequestId", "at");

-- CreateIndex
CREATE INDEX "StageEvent_claimId_idx" ON "StageEvent"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "Guarantee_claimId_key" ON "Guarantee"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "Loan_claimId_key" ON "Loan"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "Loan_financingRequestId_key" ON "Loan"("financingRequestId");

-- CreateIndex
CREATE INDEX "Loan_enterpriseId_idx" ON "Loan"("enterpriseId");

-- CreateIndex
CREATE INDEX "Loan_bankId_disbursedOn_idx" ON "Loan"("bankId", "disbursedOn");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_financingRequestId_key" ON "Rating"("financingRequestId");

-- CreateIndex
CREATE INDEX "Notification_status_notBefore_idx" ON "Notification"("status", "notBefore");

-- CreateIndex
CREATE INDEX "Notification_recipientType_recipientId_idx" ON "Notification"("recipientType", "recipientId");

-- AddForeignKey
ALTER TABLE "FinancingRequest" ADD CONSTRAINT "FinancingRequest_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "Enterprise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_financingRequestId_fkey" FOREIGN KEY ("financingRequestId") REFERENCES "FinancingRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_bankId_fkey" FOREIGN KEY ("bankId") REFERENCES "Bank"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageEvent" ADD CONSTRAINT "StageEvent_financingRequestId_fkey" FOREIGN KEY ("financingRequestId") REFERENCES "FinancingRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guarantee" ADD CONSTRAINT "Guarantee_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guarantee" ADD CONSTRAINT "Guarantee_guaranteeInstitutionId_fkey" FOREIGN KEY ("guaranteeInstitutionId") REFERENCES "GuaranteeInstitution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_financingRequestId_fkey" FOREIGN KEY ("financingRequestId") REFERENCES "FinancingRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_financingRequestId_fkey" FOREIGN KEY ("financingRequestId") REFERENCES "FinancingRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

