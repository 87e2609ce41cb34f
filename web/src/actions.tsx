// One action button or form: posts to the public API with a fresh Idempotency-Key and shows the
// outcome in words (the problem's code through i18n refused.*), never a raw error.
import { useState } from 'preact/hooks';
import { newKey, problemCode } from './api/client';
import { useI18n, type MessageKey } from './i18n';

export type Outcome = { error?: unknown } | undefined;

export function useAction(run: (key: string, form?: FormData) => Promise<Outcome>, onDone: () => void) {
  const { t, tr } = useI18n();
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  async function go(form?: FormData) {
    setBusy(true);
    const r = await run(key, form).catch((error: unknown) => ({ error }));
    setBusy(false);
    if (r?.error) {
      setResult({ ok: false, text: tr(`refused.${problemCode(r.error)}`) });
    } else {
      setResult({ ok: true, text: t('success') });
      setKey(newKey());
    }
    onDone();
  }
  return { busy, result, go };
}

export function Result({ result }: { result?: { ok: boolean; text: string } }) {
  if (!result) return null;
  return (
    <p class={result.ok ? 'ok' : 'refused'} role="status">
      {result.text}
    </p>
  );
}

export function ActionButton({ id, label, run, onDone }: { id: string; label: MessageKey; run: (key: string) => Promise<Outcome>; onDone: () => void }) {
  const { t } = useI18n();
  const a = useAction(run, onDone);
  return (
    <div class="action">
      <button type="button" id={id} disabled={a.busy} onClick={() => void a.go()}>
        {t(label)}
      </button>
      <Result result={a.result} />
    </div>
  );
}

export function ActionForm({
  id,
  label,
  run,
  onDone,
  children,
}: {
  id: string;
  label: MessageKey;
  run: (key: string, form: FormData) => Promise<Outcome>;
  onDone: () => void;
  children: preact.ComponentChildren;
}) {
  const { t } = useI18n();
  const a = useAction((k, f) => run(k, f!), onDone);
  return (
    <form
      class="action-form card"
      id={id}
      onSubmit={(e) => {
        e.preventDefault();
        void a.go(new FormData(e.currentTarget));
      }}
    >
      {children}
      <button type="submit" disabled={a.busy}>
        {t(label)}
      </button>
      <Result result={a.result} />
    </form>
  );
}

/** Standard reasons for rejecting, declining or refusing a guarantee. */
export const REASON_CODES = ['outside_policy', 'insufficient_info', 'credit_risk', 'capacity', 'other'] as const;

export function ReasonFields() {
  const { t, tr } = useI18n();
  return (
    <>
      <label>
        {t('field.reason')}
        <select name="reasonCode">
          {REASON_CODES.map((c) => (
            <option value={c}>{tr(`reason.${c}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('field.note')}
        <input name="note" maxLength={400} />
      </label>
    </>
  );
}

/** The API's reason text: the standard code, then the officer's note. */
export function reasonOf(f: FormData): string {
  const note = String(f.get('note') ?? '').trim();
  return note ? `${String(f.get('reasonCode'))}: ${note}` : String(f.get('reasonCode'));
}
