// Per-recipient notification preferences and what the planner needs to know about a recipient.
// Preferences live behind a store interface: the NotificationPreference table (notifications/sql-stores.ts)
// or, for benchmarks, in memory.
import { z } from 'zod';
import type { Channel, Locale, RecipientType } from './types';
import type { QuietHours } from './schedule';

export const preferencesSchema = z.object({
  /** Opt out of (false) or into (true) a channel; inbox cannot be switched off. */
  channels: z.object({ sms: z.boolean(), email: z.boolean(), webhook: z.boolean() }).partial().optional(),
  /** Own quiet hours (Shanghai local hours); null switches quiet hours off. Absent: platform default 22–08. */
  quietHours: z
    .object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(23) })
    .nullable()
    .optional(),
  /** Busy banks: batch pool prompts (抢单提醒) into one digest per window of this many minutes; 0 = off. */
  poolBatchWindowMinutes: z.number().int().min(0).max(240).optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type RecipientPreferences = z.infer<typeof preferencesSchema>;

/** What planOutboxRows knows about one recipient; loaded by loadPlanningContext before the transaction writes. */
export interface RecipientProfile {
  /** Known addresses; absent means "unknown" (the channel is planned and resolved at delivery). */
  email?: string | null;
  mobile?: string | null;
  /** The recipient registered an active webhook endpoint. */
  webhook?: boolean;
  preferences?: RecipientPreferences;
}

export interface PlanningContext {
  /** Keyed by recipientKey(type, id). */
  recipients?: Record<string, RecipientProfile>;
  /**
   * The platform's quiet hours for recipients without their own (configuration NOTIFY_QUIET_HOURS);
   * null: none. Absent: DEFAULT_QUIET_HOURS.
   */
  quietHours?: QuietHours | null;
}

export function recipientKey(type: RecipientType, id: string): string {
  return `${type}:${id}`;
}

export interface PreferenceStore {
  get(type: RecipientType, id: string): Promise<RecipientPreferences | undefined>;
  set(type: RecipientType, id: string, prefs: RecipientPreferences): Promise<void>;
}

export class InMemoryPreferenceStore implements PreferenceStore {
  private readonly map = new Map<string, RecipientPreferences>();
  async get(type: RecipientType, id: string) {
    return this.map.get(recipientKey(type, id));
  }
  async set(type: RecipientType, id: string, prefs: RecipientPreferences) {
    this.map.set(recipientKey(type, id), preferencesSchema.parse(prefs));
  }
}

export type { Channel, Locale, QuietHours };
