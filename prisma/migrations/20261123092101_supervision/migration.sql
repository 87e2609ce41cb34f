-- CreateTable
CREATE TABLE "SupervisionReport" (
    "id" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "ranking" JSONB NOT NULL,
    "html" TEXT NOT NULL,
    "pdf" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupervisionReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PushList" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "supervisorId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PushListEntry" (
    "pushListId" UUID NOT NULL,
    "enterpriseId" UUID NOT NULL,

    CONSTRAINT "PushListEntry_pkey" PRIMARY KEY ("pushListId","enterpriseId")
);

-- CreateTable
CREATE TABLE "PushTarget" (
    "pushListId" UUID NOT NULL,
    "bankId" TEXT NOT NULL,
    "pushedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actions" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "PushTarget_pkey" PRIMARY KEY ("pushListId","bankId")
);

-- CreateIndex
CREATE UNIQUE INDEX "SupervisionReport_periodStart_periodEnd_key" ON "SupervisionReport"("periodStart", "periodEnd");

-- CreateIndex
CREATE INDEX "PushListEntry_enterpriseId_idx" ON "PushListEntry"("enterpriseId");

-- CreateIndex
CREATE INDEX "PushTarget_bankId_pushedAt_idx" ON "PushTarget"("bankId", "pushedAt");

-- CreateIndex
CREATE INDEX "Claim_bankId_createdAt_idx" ON "Claim"("bankId", "createdAt");

-- CreateIndex
CREATE INDEX "Claim_status_updatedAt_idx" ON "Claim"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "StageEvent_event_at_idx" ON "StageEvent"("event", "at");

-- AddForeignKey
ALTER TABLE "PushListEntry" ADD CONSTRAINT "PushListEntry_pushListId_fkey" FOREIGN KEY ("pushListId") REFERENCES "PushList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PushTarget" ADD CONSTRAINT "PushTarget_pushListId_fkey" FOREIGN KEY ("pushListId") REFERENCES "PushList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

