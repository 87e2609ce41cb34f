// Response bodies of operations whose routes build them inline (no shared view schema): listed here
// so the document describes every body the API sends. Workflow states after an update are open
// objects: their members are the workflow's own (workflows/messages.ts).
import { z } from 'zod';

const iso = z.iso.datetime();

export const apiKeyRevoked = z.object({ id: z.string(), revokedAt: iso });

export const health = z
  .object({
    status: z.enum(['up', 'down']),
    checks: z.record(z.enum(['database', 'temporal', 'worker']), z.object({ status: z.enum(['up', 'down']), detail: z.string().optional() })),
  })
  .meta({ id: 'Health' });

export const failedNotifications = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      financingRequestId: z.uuid().nullable(),
      recipientType: z.string(),
      recipientId: z.string(),
      channel: z.string(),
      templateId: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      updatedAt: iso,
    }),
  ),
});

export const reportList = z.object({
  items: z.array(z.object({ id: z.string(), periodStart: iso, periodEnd: iso, createdAt: iso, html: z.string(), pdf: z.string() })),
  nextCursor: z.string().nullable(),
});

export const pushLists = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      source: z.string(),
      createdAt: iso,
      entryCount: z.number().int(),
      banks: z.array(z.object({ bankId: z.string(), pushedAt: iso, acted: z.number().int() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const pushInbox = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), source: z.string(), pushedAt: iso, entryCount: z.number().int(), acted: z.number().int() })),
});

export const pushActionRecorded = z.object({ id: z.uuid(), bankId: z.string(), enterpriseId: z.uuid() }).loose();

export const inbox = z
  .discriminatedUnion('role', [
    z.object({ role: z.literal('bank'), directed: z.array(z.object({}).loose()), pool: z.array(z.object({}).loose()) }).loose(),
    z.object({ role: z.literal('guaranteeInstitution'), guarantees: z.array(z.object({}).loose()) }).loose(),
    z.object({ role: z.literal('enterprise'), offersToChoose: z.array(z.object({}).loose()) }).loose(),
  ])
  .meta({ id: 'Inbox', description: 'What waits for the caller, by role' });

export const crosscheck = z.object({}).loose().meta({ description: 'Counts and mismatches between the database and Temporal visibility' });

export const workflowState = (of: string) =>
  z
    .object({})
    .loose()
    .meta({ description: `The ${of} workflow's state after the action (workflows/messages.ts)` });
