-- Migration SQL matching schema-additions.prisma.txt (what `prisma migrate` generates for it).
CREATE TABLE IF NOT EXISTS "NotificationPreference" (
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "preferences" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("recipientType","recipientId")
);
CREATE TABLE IF NOT EXISTS "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);
CREATE TABLE IF NOT EXISTS "WebhookDelivery" (
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
CREATE INDEX IF NOT EXISTS "WebhookEndpoint_recipientType_recipientId_active_idx" ON "WebhookEndpoint"("recipientType", "recipientId", "active");
CREATE INDEX IF NOT EXISTS "WebhookDelivery_recipientType_recipientId_attemptedAt_idx" ON "WebhookDelivery"("recipientType", "recipientId", "attemptedAt");
CREATE INDEX IF NOT EXISTS "WebhookDelivery_notificationId_idx" ON "WebhookDelivery"("notificationId");
CREATE INDEX IF NOT EXISTS "Notification_recipientType_recipientId_channel_templateId_notBefore_idx" ON "Notification"("recipientType", "recipientId", "channel", "templateId", "notBefore");
ALTER TABLE "WebhookDelivery" DROP CONSTRAINT IF EXISTS "WebhookDelivery_endpointId_fkey";
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
