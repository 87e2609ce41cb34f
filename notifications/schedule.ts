// Time arithmetic for quiet hours and batching windows, in Shanghai local time (UTC+8, no DST). Pure.
import { SHANGHAI_UTC_OFFSET_MINUTES } from './config';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const OFFSET = SHANGHAI_UTC_OFFSET_MINUTES * 60_000;

export interface QuietHours {
  /** Local hour (0–23) quiet time starts. */
  startHour: number;
  /** Local hour (0–23) quiet time ends; smaller than startHour when the window spans midnight. */
  endHour: number;
}

/**
 * Reads a quiet-hours setting: `off` (none) or `HH-HH` in Shanghai local hours, e.g. `22-8`.
 * Throws on anything else, so a typo stops the process at start instead of waking people at night.
 */
export function parseQuietHours(text: string): QuietHours | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return null;
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(t);
  const startHour = Number(m?.[1]);
  const endHour = Number(m?.[2]);
  if (!m || startHour > 23 || endHour > 23) throw new Error(`quiet hours must be "off" or "HH-HH" (Shanghai hours 0-23), got "${text}"`);
  return { startHour, endHour };
}

/** Milliseconds since Shanghai midnight of `t`. */
function localTimeOfDay(t: Date): number {
  return (((t.getTime() + OFFSET) % DAY) + DAY) % DAY;
}

export function isQuiet(t: Date, q: QuietHours): boolean {
  if (q.startHour === q.endHour) return false;
  const h = localTimeOfDay(t) / HOUR;
  return q.startHour < q.endHour ? h >= q.startHour && h < q.endHour : h >= q.startHour || h < q.endHour;
}

/** The first instant at or after `t` outside quiet hours (t itself when not quiet). */
export function quietEnd(t: Date, q: QuietHours): Date {
  if (!isQuiet(t, q)) return t;
  const local = t.getTime() + OFFSET;
  const midnight = local - localTimeOfDay(t);
  let end = midnight + q.endHour * HOUR;
  if (end <= local) end += DAY;
  return new Date(end - OFFSET);
}

/**
 * End of the batching window containing `t`. Windows are aligned to Shanghai midnight, so every
 * prompt planned within one window gets the same end instant, which is the batch key.
 */
export function windowEnd(t: Date, windowMinutes: number): Date {
  const w = windowMinutes * 60_000;
  const local = t.getTime() + OFFSET;
  const midnight = local - localTimeOfDay(t);
  const end = midnight + (Math.floor((local - midnight) / w) + 1) * w;
  return new Date(end - OFFSET);
}
