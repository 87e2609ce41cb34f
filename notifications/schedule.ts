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
