import { describe, expect, it } from 'vitest';
import { planOutboxRows, outboxRowId } from '../../../notifications/outbox';
import { isQuiet, parseQuietHours, quietEnd, windowEnd } from '../../../notifications/schedule';
import { quietHoursFromEnv } from '../../../notifications/deps';
import type { NotificationRequest } from '../../../notifications/types';

const bank = (id: string, templateId = 'newDirectedRequest', urgent = false): NotificationRequest => ({
  templateId,
  recipient: { type: 'bank', id },
  params: { requestRef: 'R1' },
  urgent,
});
// 10:00 Shanghai = 02:00Z; 23:30 Shanghai = 15:30Z
const DAY = new Date('2026-11-23T02:00:00Z');
const NIGHT = new Date('2026-11-23T15:30:00Z');

describe('schedule (Asia/Shanghai, UTC+8)', () => {
  const q = { startHour: 22, endHour: 8 };
  it('knows quiet hours and their end', () => {
    expect(isQuiet(DAY, q)).toBe(false);
    expect(isQuiet(NIGHT, q)).toBe(true);
    expect(isQuiet(new Date('2026-11-22T23:59:00Z'), q)).toBe(true); // 07:59 local
    expect(isQuiet(new Date('2026-11-23T00:00:00Z'), q)).toBe(false); // 08:00 local
    expect(quietEnd(NIGHT, q).toISOString()).toBe('2026-11-24T00:00:00.000Z'); // next 08:00 local
    expect(quietEnd(new Date('2026-11-22T17:00:00Z'), q).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // 01:00 local → same morning
    expect(quietEnd(DAY, q)).toBe(DAY);
  });
  it('aligns batching windows to Shanghai midnight', () => {
    expect(windowEnd(new Date('2026-11-23T02:07:00Z'), 30).toISOString()).toBe('2026-11-23T02:30:00.000Z');
    expect(windowEnd(new Date('2026-11-23T02:29:59Z'), 30).toISOString()).toBe('2026-11-23T02:30:00.000Z');
    expect(windowEnd(new Date('2026-11-23T02:30:00Z'), 30).toISOString()).toBe('2026-11-23T03:00:00.000Z');
    expect(windowEnd(new Date('2026-11-23T02:07:00Z'), 240).toISOString()).toBe('2026-11-23T04:00:00.000Z'); // 12:00 local
  });
});

describe('planOutboxRows', () => {
  it('keeps the lead’s 4-argument contract: one row per default channel, deterministic ids', () => {
    const rows = planOutboxRows('ev1', null, [bank('b1')], DAY);
    expect(rows.map((r) => r.channel)).toEqual(['sms', 'email', 'inbox']); // no webhook unless registered
    expect(rows[0]?.id).toBe(outboxRowId('ev1', bank('b1'), 'sms'));
    expect(rows.every((r) => r.status === 'pending' && (r.notBefore as Date).getTime() === DAY.getTime())).toBe(true);
    expect(planOutboxRows('ev1', null, [bank('b1')], DAY)).toEqual(rows); // pure
    expect(planOutboxRows('ev1', null, [bank('b1'), bank('b1')], DAY)).toHaveLength(3);
  });

  it('honours known addresses, webhook registration and channel preferences', () => {
    const rows = planOutboxRows(
      'ev',
      null,
      [bank('b1'), bank('b2'), { templateId: 'escalation', recipient: { type: 'supervisor', id: 'all' }, params: {} }],
      DAY,
      {
        recipients: {
          'bank:b1': { email: null, mobile: '13800138000', webhook: true },
          'bank:b2': { email: 'x@b2.cn', mobile: '13900139000', preferences: { channels: { sms: false }, locale: 'en' } },
        },
      },
    );
    const by = (id: string) => rows.filter((r) => r.recipientId === id).map((r) => `${r.channel}:${r.locale}`);
    expect(by('b1')).toEqual(['sms:zh-CN', 'webhook:zh-CN', 'inbox:zh-CN']);
    expect(by('b2')).toEqual(['email:en', 'inbox:en']);
    expect(by('all')).toEqual(['email:zh-CN', 'inbox:zh-CN']);
  });

  it('holds non-urgent SMS in quiet hours until 08:00 Shanghai, not urgent ones, not e-mail', () => {
    const rows = planOutboxRows('ev', null, [bank('b1'), bank('b2', 'deadlineReminder', true)], NIGHT);
    const get = (r: string, ch: string) => rows.find((x) => x.recipientId === r && x.channel === ch)!;
    expect(get('b1', 'sms')).toMatchObject({ status: 'held', notBefore: new Date('2026-11-24T00:00:00Z') });
    expect(get('b1', 'email')).toMatchObject({ status: 'pending', notBefore: NIGHT });
    expect(get('b2', 'sms')).toMatchObject({ status: 'pending', notBefore: NIGHT, urgent: true });
    const own = planOutboxRows('ev', null, [bank('b3')], NIGHT, { recipients: { 'bank:b3': { preferences: { quietHours: null } } } });
    expect(own[0]).toMatchObject({ channel: 'sms', status: 'pending' });
  });

  it("takes the platform window from configuration: another window, or none; a recipient's own still wins", () => {
    expect(quietHoursFromEnv({})).toEqual({ startHour: 22, endHour: 8 });
    expect(quietHoursFromEnv({ NOTIFY_QUIET_HOURS: 'off' })).toBeNull();
    expect(quietHoursFromEnv({ NOTIFY_QUIET_HOURS: '21-7' })).toEqual({ startHour: 21, endHour: 7 });
    expect(() => parseQuietHours('22-24')).toThrow(/HH-HH/);
    expect(() => parseQuietHours('nightly')).toThrow(/HH-HH/);
    const sms = (rows: ReturnType<typeof planOutboxRows>) => rows.find((r) => r.channel === 'sms')!;
    expect(sms(planOutboxRows('ev', null, [bank('b1')], NIGHT, { quietHours: null }))).toMatchObject({ status: 'pending', notBefore: NIGHT });
    // 21:30 Shanghai is inside 21–07 but outside the default 22–08; 07:30 the other way round.
    const lateEvening = new Date('2026-11-23T13:30:00Z');
    const earlyMorning = new Date('2026-11-22T23:30:00Z');
    const q = parseQuietHours('21-7');
    expect(sms(planOutboxRows('ev', null, [bank('b1')], lateEvening, { quietHours: q }))).toMatchObject({
      status: 'held',
      notBefore: new Date('2026-11-23T23:00:00Z'),
    });
    expect(sms(planOutboxRows('ev', null, [bank('b1')], lateEvening))).toMatchObject({ status: 'pending' });
    expect(sms(planOutboxRows('ev', null, [bank('b1')], earlyMorning, { quietHours: q }))).toMatchObject({ status: 'pending' });
    expect(sms(planOutboxRows('ev', null, [bank('b1')], earlyMorning))).toMatchObject({ status: 'held', notBefore: new Date('2026-11-23T00:00:00Z') });
    const own = { recipients: { 'bank:b1': { preferences: { quietHours: { startHour: 22, endHour: 8 } } } }, quietHours: null };
    expect(sms(planOutboxRows('ev', null, [bank('b1')], NIGHT, own))).toMatchObject({ status: 'held' });
  });

  it('batches pool prompts for busy banks into the window end (the batch key)', () => {
    const ctx = { recipients: { 'bank:busy': { webhook: true, preferences: { poolBatchWindowMinutes: 30 } } } };
    const a = planOutboxRows(
      'evA',
      null,
      [bank('busy', 'poolRequestMatchesProducts'), bank('idle', 'poolRequestMatchesProducts')],
      new Date('2026-11-23T02:07:00Z'),
      ctx,
    );
    const b = planOutboxRows('evB', null, [bank('busy', 'poolRequestMatchesProducts')], new Date('2026-11-23T02:21:00Z'), ctx);
    for (const rows of [a, b]) {
      const busy = rows.filter((r) => r.recipientId === 'busy');
      expect(busy.find((r) => r.channel === 'sms')).toMatchObject({ status: 'held', notBefore: new Date('2026-11-23T02:30:00Z') });
      expect(busy.find((r) => r.channel === 'email')).toMatchObject({ status: 'held', notBefore: new Date('2026-11-23T02:30:00Z') });
      expect(busy.find((r) => r.channel === 'webhook')).toMatchObject({ status: 'pending' }); // machines want it now
      expect(busy.find((r) => r.channel === 'inbox')).toMatchObject({ status: 'pending' });
    }
    expect(a.filter((r) => r.recipientId === 'idle').every((r) => r.status === 'pending')).toBe(true);
    // a window ending in quiet hours moves the SMS to 08:00, the e-mail keeps the window end
    const late = planOutboxRows('evC', null, [bank('busy', 'poolRequestMatchesProducts')], new Date('2026-11-23T13:50:00Z'), ctx); // 21:50 local
    expect(late.find((r) => r.channel === 'sms')).toMatchObject({ status: 'held', notBefore: new Date('2026-11-24T00:00:00Z') });
    expect(late.find((r) => r.channel === 'email')).toMatchObject({ status: 'held', notBefore: new Date('2026-11-23T14:00:00Z') });
  });
});
