// A live countdown to a deadline, coloured by the time left: green beyond a day, amber within a
// day, red within two hours, grey-red when overdue. One shared 1-second clock for all of them.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from './i18n';

const subscribers = new Set<(now: number) => void>();
setInterval(() => {
  const now = Date.now();
  for (const s of subscribers) s(now);
}, 1000);

export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    subscribers.add(setNow);
    return () => void subscribers.delete(setNow);
  }, []);
  return now;
}

const HOUR = 3_600_000;

export function urgency(msLeft: number): 'overdue' | 'critical' | 'soon' | 'ok' {
  if (msLeft <= 0) return 'overdue';
  if (msLeft <= 2 * HOUR) return 'critical';
  if (msLeft <= 24 * HOUR) return 'soon';
  return 'ok';
}

export function Countdown({ to }: { to: string | null | undefined }) {
  const { t } = useI18n();
  const now = useNow();
  if (!to) return <span class="countdown">—</span>;
  const left = Date.parse(to) - now;
  const level = urgency(left);
  if (level === 'overdue') return <span class="countdown overdue">{t('overdue')}</span>;
  const s = Math.floor(left / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts =
    d > 0 ? `${d}${t('unit.d')} ${h}${t('unit.h')}` : h > 0 ? `${h}${t('unit.h')} ${m}${t('unit.m')}` : `${m}${t('unit.m')} ${s % 60}${t('unit.s')}`;
  return (
    <span class={`countdown ${level}`} title={new Date(to).toISOString()} data-deadline={to}>
      {parts}
    </span>
  );
}
