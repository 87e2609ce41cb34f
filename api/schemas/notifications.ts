// API schemas for notification settings of banks and guarantee institutions: webhook endpoints,
// their delivery log and replays, and per-recipient preferences. They validate requests and
// generate the OpenAPI document.
import { z } from 'zod';
import { preferencesSchema } from '../../notifications/preferences';

/** Who may register webhooks and preferences through the API (the institutions that act on requests). */
export const apiRecipientType = z.enum(['bank', 'guaranteeInstitution']).meta({ id: 'NotificationRecipientType' });
export const recipientId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/, 'recipient ids are slugs')
  .meta({ example: 'hecheng-rcb' });

/** The acting institution names itself; it must be the caller's own (routes/notifications.ts). */
export const recipientQuery = z
  .strictObject({
    recipientType: apiRecipientType,
    recipientId,
    limit: z
      .string()
      .regex(/^\d{1,4}$/)
      .optional()
      .meta({ description: 'At most this many rows, newest first (default 100, max 1000)' }),
  })
  .meta({ id: 'NotificationRecipientQuery' });

export const webhookEndpointBody = z
  .strictObject({
    recipientType: apiRecipientType,
    recipientId,
    url: z.string().max(2048).meta({
      description:
        'https to a public address (checked after DNS resolution; names that do not resolve are refused); loopback, over http too, only on a development stack (WEBHOOK_ALLOW_LOOPBACK=true)',
      example: 'https://hooks.example-bank.cn/loanbridge',
    }),
  })
  .meta({ id: 'WebhookEndpointInput' });

export const webhookEndpointView = z
  .object({
    id: z.uuid(),
    recipientType: apiRecipientType,
    recipientId: z.string(),
    url: z.string(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookEndpoint' });

export const webhookEndpointCreated = webhookEndpointView
  .extend({
    secret: z.string().meta({ description: 'HMAC-SHA256 signing secret for X-Loanbridge-Signature; shown only in this answer' }),
  })
  .meta({ id: 'WebhookEndpointCreated' });

export const webhookEndpointsView = z
  .object({ recipientType: apiRecipientType, recipientId: z.string(), items: z.array(webhookEndpointView) })
  .meta({ id: 'WebhookEndpoints' });

export const webhookDeliveryView = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    notificationId: z.string().meta({ description: 'Also the X-Loanbridge-Delivery header (de-duplication key)' }),
    event: z.string(),
    url: z.string(),
    body: z.string().meta({ description: 'Exact JSON body sent' }),
    attemptedAt: z.iso.datetime(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    ok: z.boolean(),
    replayOf: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveriesView = z
  .object({ recipientType: apiRecipientType, recipientId: z.string(), items: z.array(webhookDeliveryView) })
  .meta({ id: 'WebhookDeliveries' });

export const deliveryParams = z.strictObject({ id: z.string().min(1).max(200) });
export const replayBody = z.strictObject({ recipientType: apiRecipientType, recipientId }).meta({ id: 'WebhookReplayInput' });

/** Preferences are per user of any kind; webhooks are for institutions' systems only. */
export const preferenceRecipientType = z.enum(['enterprise', 'bank', 'guaranteeInstitution']).meta({ id: 'PreferenceRecipientType' });
export const preferenceParams = z.strictObject({ recipientType: preferenceRecipientType, recipientId });
export const preferencesBody = preferencesSchema
  .extend({
    channels: z.strictObject({ sms: z.boolean(), email: z.boolean(), webhook: z.boolean() }).partial().optional(),
    quietHours: z
      .strictObject({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(23) })
      .nullable()
      .optional(),
  })
  .strict()
  .meta({ id: 'NotificationPreferences' });

export const preferencesView = z
  .object({
    recipientType: preferenceRecipientType,
    recipientId: z.string(),
    preferences: preferencesBody.nullable().meta({ description: 'null: platform defaults' }),
  })
  .meta({ id: 'NotificationPreferencesView' });
