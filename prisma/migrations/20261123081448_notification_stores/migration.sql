-- CreateTable
CREATE TABLE "NotificationPreference" (
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "preferences" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("recipientType","recipientId")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "replayOf" TEXT,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_recipientType_recipientId_active_idx" ON "WebhookEndpoint"("recipientType", "recipientId", "active");

-- CreateIndex
CREATE INDEX "WebhookDelivery_recipientType_recipientId_attemptedAt_idx" ON "WebhookDelivery"("recipientType", "recipientId", "attemptedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_notificationId_idx" ON "WebhookDelivery"("notificationId");

-- CreateIndex
CREATE INDEX "Notification_recipientType_recipientId_channel_templateId_n_idx" ON "Notification"("recipientType", "recipientId", "channel", "templateId", "notBefore");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

