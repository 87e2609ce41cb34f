-- CreateTable
CREATE TABLE "SourceRecord" (
    "creditCode" VARCHAR(18) NOT NULL,
    "source" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SourceRecord_pkey" PRIMARY KEY ("creditCode","source")
);

-- CreateTable
CREATE TABLE "CreditPortrait" (
    "id" UUID NOT NULL,
    "creditCode" VARCHAR(18) NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "score" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "probabilityOfDefault" DECIMAL(9,6) NOT NULL,
    "completeness" DECIMAL(5,4) NOT NULL,
    "missing" TEXT[],
    "stale" TEXT[],
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditPortrait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortraitGrant" (
    "id" UUID NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "sections" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "financingRequestId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortraitGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortraitReadAudit" (
    "id" BIGSERIAL NOT NULL,
    "enterpriseId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "grantId" UUID,
    "sectionsRequested" TEXT[],
    "sectionsReturned" TEXT[],
    "allowed" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortraitReadAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CreditPortrait_creditCode_asOf_idx" ON "CreditPortrait"("creditCode", "asOf");

-- CreateIndex
CREATE INDEX "PortraitGrant_enterpriseId_bankId_idx" ON "PortraitGrant"("enterpriseId", "bankId");

-- CreateIndex
CREATE UNIQUE INDEX "PortraitGrant_enterpriseId_bankId_financingRequestId_key" ON "PortraitGrant"("enterpriseId", "bankId", "financingRequestId");

-- CreateIndex
CREATE INDEX "PortraitReadAudit_enterpriseId_at_idx" ON "PortraitReadAudit"("enterpriseId", "at");

-- CreateIndex
CREATE INDEX "PortraitReadAudit_bankId_at_idx" ON "PortraitReadAudit"("bankId", "at");

