-- CreateTable
CREATE TABLE "IdempotentResponse" (
    "id" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotentResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdempotentResponse_createdAt_idx" ON "IdempotentResponse"("createdAt");

