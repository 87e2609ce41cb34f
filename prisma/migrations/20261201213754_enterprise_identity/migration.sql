-- AlterTable
ALTER TABLE "Enterprise" ADD COLUMN     "mobileVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "proposedTags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "OneTimeCode" (
    "id" UUID NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "mobile" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "ip" TEXT,
    "loanCodeId" TEXT,
    "context" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OneTimeCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnterpriseIdentityEvent" (
    "id" BIGSERIAL NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "detail" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnterpriseIdentityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OneTimeCode_mobile_createdAt_idx" ON "OneTimeCode"("mobile", "createdAt");

-- CreateIndex
CREATE INDEX "OneTimeCode_ip_createdAt_idx" ON "OneTimeCode"("ip", "createdAt");

-- CreateIndex
CREATE INDEX "OneTimeCode_loanCodeId_createdAt_idx" ON "OneTimeCode"("loanCodeId", "createdAt");

-- CreateIndex
CREATE INDEX "OneTimeCode_createdAt_idx" ON "OneTimeCode"("createdAt");

-- CreateIndex
CREATE INDEX "EnterpriseIdentityEvent_enterpriseId_at_idx" ON "EnterpriseIdentityEvent"("enterpriseId", "at");

