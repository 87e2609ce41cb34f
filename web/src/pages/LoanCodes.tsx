// The bank's loan codes (贷款码): create one, see its printable QR code (fetched with the user's
// token and shown inline) and the public form it opens.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ActionForm } from '../actions';
import { dateTime, useI18n } from '../i18n';
import type { components } from '../api/schema';

type Code = components['schemas']['LoanCode'];

/** The QR image as a data: URL (an <img src> cannot send the Authorization header). */
function Qr({ id }: { id: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    void api.GET('/v1/loan-codes/{id}/qr.svg', { params: { path: { id } }, parseAs: 'text' }).then(({ data }) => {
      if (typeof data === 'string') setSrc(`data:image/svg+xml;base64,${btoa(data)}`);
    });
  }, [id]);
  return src ? <img class="qr" src={src} alt="QR" width={160} height={160} /> : null;
}

export function LoanCodesPage() {
  const { t, locale } = useI18n();
  const [codes, setCodes] = useState<Code[]>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    void api.GET('/v1/loan-codes').then(({ data }) => setCodes(((data as { items?: Code[] } | undefined)?.items ?? []) as Code[]));
  }, [tick]);
  return (
    <div id="loan-codes">
      <h1>{t('nav.loanCodes')}</h1>
      <ActionForm
        id="loan-code-form"
        label="loanCodes.create"
        onDone={() => setTick((n) => n + 1)}
        run={(key, f) => api.POST('/v1/loan-codes', { params: { header: { 'Idempotency-Key': key } }, body: { label: String(f.get('label') ?? '') } })}
      >
        <label>
          {t('loanCodes.label')}
          <input name="label" maxLength={100} />
        </label>
      </ActionForm>
      {!codes ? (
        <p>{t('loading')}</p>
      ) : (
        <ul class="codes">
          {codes.map((c) => (
            <li key={c.id} class="card" data-code={c.id}>
              <Qr id={c.id} />
              <div>
                <b>{c.label || c.id}</b>
                <p class="muted">{dateTime(c.createdAt, locale)}</p>
                <a href={c.url} target="_blank" rel="noopener">
                  {c.url}
                </a>
                <p>
                  <button type="button" class="link" onClick={() => window.print()}>
                    {t('loanCodes.print')}
                  </button>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
