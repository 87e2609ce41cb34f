// The request page: the need, the enterprise, the public timeline, the caller's own claim (or
// guarantee) and the actions that apply at its step. Refreshes every few seconds: the workflow
// records each step a moment after the action.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../api/client';
import { ActionButton, ActionForm, ReasonFields, reasonOf } from '../actions';
import { Countdown } from '../countdown';
import { dateTime, eventLabel, percent, useI18n, wan } from '../i18n';
import { currentSession } from '../session';
import type { components } from '../api/schema';

type RequestView = components['schemas']['FinancingRequest'];
type Claim = components['schemas']['Claim'];
type Enterprise = components['schemas']['Enterprise'];
type Guarantor = components['schemas']['DirectoryGuaranteeInstitution'];

const REPAYMENT = ['equal_installment', 'equal_principal', 'interest_first', 'bullet'] as const;
const REFRESH_MS = 3000;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Need({ r, enterprise }: { r: RequestView; enterprise?: Enterprise }) {
  const { t, tr } = useI18n();
  return (
    <section class="card">
      <h1 id="request-title">{enterprise?.name ?? t('request.title')}</h1>
      <dl class="fields">
        <Field label={t('field.amount')}>
          {wan(r.amountFen)} {t('wan')}
        </Field>
        <Field label={t('field.term')}>
          {r.termMonths} {t('months')}
        </Field>
        <Field label={t('field.purpose')}>{r.purpose}</Field>
        <Field label={t('field.guaranteeMethod')}>{tr(`method.${r.guaranteeMethod}`)}</Field>
        <Field label={t('field.routing')}>{tr(`routing.${r.routing}`)}</Field>
        <Field label={t('field.stage')}>
          <span id="stage">{tr(`stage.${r.stage}`)}</span>
        </Field>
      </dl>
      {enterprise ? (
        <>
          <h2>{t('request.profile')}</h2>
          <dl class="fields">
            <Field label={t('field.creditCode')}>{enterprise.creditCode}</Field>
            <Field label={t('field.industry')}>{enterprise.industry}</Field>
            <Field label={t('field.region')}>{enterprise.region}</Field>
            <Field label={t('field.capital')}>
              {enterprise.registeredCapitalFen === undefined ? '—' : `${wan(enterprise.registeredCapitalFen)} ${t('wan')}`}
            </Field>
            <Field label={t('field.contact')}>{enterprise.contactName}</Field>
          </dl>
        </>
      ) : null}
    </section>
  );
}

function Timeline({ r }: { r: RequestView }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return (
    <section class="card">
      <h2>{t('request.timeline')}</h2>
      <ol class="timeline" id="timeline">
        {r.timeline.map((e) => (
          <li>
            <time>{dateTime(e.at, locale)}</time> {eventLabel(i18n, e.event)}
            {e.bankId ? <span class="muted"> · {e.bankId}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ApproveForm({ r, onDone }: { r: RequestView; onDone: () => void }) {
  const { t, tr } = useI18n();
  const [guarantors, setGuarantors] = useState<Guarantor[]>([]);
  useEffect(() => {
    void api.GET('/v1/directory/guarantee-institutions').then(({ data }) => setGuarantors((data?.items ?? []) as Guarantor[]));
  }, []);
  return (
    <ActionForm
      id="approve-form"
      label="action.approve"
      onDone={onDone}
      run={(key, f) =>
        api.POST('/v1/financing-requests/{id}/approve', {
          params: { path: { id: r.id }, header: { 'Idempotency-Key': key } },
          body: {
            approvedAmountFen: Math.round(Number(f.get('amountWan')) * 1_000_000),
            annualRateBp: Math.round(Number(f.get('rate')) * 100),
            termMonths: Number(f.get('termMonths')),
            repaymentMethod: f.get('repaymentMethod') as (typeof REPAYMENT)[number],
            ...(f.get('guarantor') ? { guaranteeInstitutionId: String(f.get('guarantor')) } : {}),
          },
        })
      }
    >
      <label>
        {t('field.amount')} ({t('wan')})
        <input name="amountWan" type="number" step="0.01" min="0.01" value={r.amountFen / 1_000_000} required />
      </label>
      <label>
        {t('field.rate')}
        <input name="rate" type="number" step="0.01" min="0.01" max="36" value="4.35" required />
      </label>
      <label>
        {t('field.term')} ({t('months')})
        <input name="termMonths" type="number" min="1" max="360" value={r.termMonths} required />
      </label>
      <label>
        {t('field.repayment')}
        <select name="repaymentMethod">
          {REPAYMENT.map((m) => (
            <option value={m}>{tr(`repay.${m}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('field.guarantor')}
        <select name="guarantor" id="guarantor-select">
          <option value="">{t('field.noGuarantor')}</option>
          {guarantors.map((g) => (
            <option value={g.id}>
              {g.name}
              {g.feeRateBp !== null ? ` (${percent(g.feeRateBp)}%)` : ''}
            </option>
          ))}
        </select>
      </label>
    </ActionForm>
  );
}

function DisburseForm({ r, claim, onDone }: { r: RequestView; claim: Claim; onDone: () => void }) {
  const { t, tr } = useI18n();
  const o = claim.offer;
  return (
    <ActionForm
      id="disburse-form"
      label="action.disburse"
      onDone={onDone}
      run={(key, f) =>
        api.POST('/v1/financing-requests/{id}/disburse', {
          params: { path: { id: r.id }, header: { 'Idempotency-Key': key } },
          body: {
            amountFen: Math.round(Number(f.get('amountWan')) * 1_000_000),
            annualRateBp: Math.round(Number(f.get('rate')) * 100),
            termMonths: Number(f.get('termMonths')),
            repaymentMethod: f.get('repaymentMethod') as (typeof REPAYMENT)[number],
            disbursedOn: String(f.get('disbursedOn')),
          },
        })
      }
    >
      <label>
        {t('field.amount')} ({t('wan')})
        <input name="amountWan" type="number" step="0.01" value={(o?.approvedAmountFen ?? r.amountFen) / 1_000_000} required />
      </label>
      <label>
        {t('field.rate')}
        <input name="rate" type="number" step="0.01" value={o ? o.annualRateBp / 100 : 4.35} required />
      </label>
      <label>
        {t('field.term')} ({t('months')})
        <input name="termMonths" type="number" value={o?.termMonths ?? r.termMonths} required />
      </label>
      <label>
        {t('field.repayment')}
        <select name="repaymentMethod" value={o?.repaymentMethod ?? 'equal_installment'}>
          {REPAYMENT.map((m) => (
            <option value={m}>{tr(`repay.${m}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('field.disbursedOn')}
        <input name="disbursedOn" type="date" value={today()} required />
      </label>
    </ActionForm>
  );
}

function BankActions({ r, claim, onDone }: { r: RequestView; claim: Claim | undefined; onDone: () => void }) {
  const { t } = useI18n();
  const path = { id: r.id };
  const post =
    (action: '/v1/financing-requests/{id}/accept' | '/v1/financing-requests/{id}/start-review' | '/v1/financing-requests/{id}/continue-without-guarantee') =>
    (key: string) =>
      api.POST(action, { params: { path, header: { 'Idempotency-Key': key } }, body: {} });
  const withReason = (action: '/v1/financing-requests/{id}/reject' | '/v1/financing-requests/{id}/decline') => (key: string, f: FormData) =>
    api.POST(action, { params: { path, header: { 'Idempotency-Key': key } }, body: { reason: reasonOf(f) } });
  if (!claim) {
    if (r.routing !== 'pool' || r.stage === 'closed') return <p class="muted">{t('request.noClaim')}</p>;
    return (
      <ActionButton
        id="grab"
        label="action.grab"
        onDone={onDone}
        run={(key) => api.POST('/v1/financing-requests/{id}/grab', { params: { path, header: { 'Idempotency-Key': key } }, body: {} })}
      />
    );
  }
  const chosen = r.timeline.some((e) => e.event === 'approved' && e.bankId === claim.bankId && /^enterprise:/.test(e.actor));
  switch (claim.status) {
    case 'offered':
      return (
        <>
          <ActionButton id="accept" label="action.accept" onDone={onDone} run={post('/v1/financing-requests/{id}/accept')} />
          <ActionForm id="reject-form" label="action.reject" onDone={onDone} run={withReason('/v1/financing-requests/{id}/reject')}>
            <ReasonFields />
          </ActionForm>
        </>
      );
    case 'accepted':
    case 'under_review':
      return (
        <>
          {claim.status === 'accepted' ? (
            <ActionButton id="start-review" label="action.startReview" onDone={onDone} run={post('/v1/financing-requests/{id}/start-review')} />
          ) : null}
          <ApproveForm r={r} onDone={onDone} />
          <ActionForm id="decline-form" label="action.decline" onDone={onDone} run={withReason('/v1/financing-requests/{id}/decline')}>
            <ReasonFields />
          </ActionForm>
        </>
      );
    case 'approved':
      return (
        <>
          {chosen ? <p class="ok">{t('request.chosen')}</p> : null}
          <DisburseForm r={r} claim={claim} onDone={onDone} />
        </>
      );
    case 'guarantee_pending':
      return (
        <>
          <ActionButton
            id="continue-without-guarantee"
            label="action.continueWithoutGuarantee"
            onDone={onDone}
            run={post('/v1/financing-requests/{id}/continue-without-guarantee')}
          />
          <ActionForm id="decline-form" label="action.decline" onDone={onDone} run={withReason('/v1/financing-requests/{id}/decline')}>
            <ReasonFields />
          </ActionForm>
        </>
      );
    default:
      return null;
  }
}

function GuarantorActions({ r, claim, onDone }: { r: RequestView; claim: Claim; onDone: () => void }) {
  const { t, tr } = useI18n();
  const path = { id: r.id, bankId: claim.bankId };
  const o = claim.offer;
  return (
    <>
      <dl class="fields">
        <Field label={t('guarantee.bank')}>{claim.bankId}</Field>
        {o ? (
          <Field label={t('guarantee.loan')}>
            {wan(o.approvedAmountFen)} {t('wan')} · {percent(o.annualRateBp)}% · {o.termMonths} {t('months')} · {tr(`repay.${o.repaymentMethod ?? ''}`)}
          </Field>
        ) : null}
        <Field label={t('guarantee.feeCap')}>1%</Field>
        <Field label={t('guarantee.shares')}>65 : 20 : 15</Field>
      </dl>
      {claim.status === 'guarantee_pending' ? (
        <>
          <ActionForm
            id="guarantee-approve-form"
            label="action.guaranteeApprove"
            onDone={onDone}
            run={(key, f) =>
              api.POST('/v1/financing-requests/{id}/guarantees/{bankId}/approve', {
                params: { path, header: { 'Idempotency-Key': key } },
                body: { feeFen: Math.round(Number(f.get('fee')) * 100) },
              })
            }
          >
            <label>
              {t('field.fee')}
              <input name="fee" type="number" min="0" step="0.01" value={o ? Math.floor(o.approvedAmountFen * 0.008) / 100 : 0} required />
            </label>
          </ActionForm>
          <ActionForm
            id="guarantee-decline-form"
            label="action.guaranteeDecline"
            onDone={onDone}
            run={(key, f) =>
              api.POST('/v1/financing-requests/{id}/guarantees/{bankId}/decline', {
                params: { path, header: { 'Idempotency-Key': key } },
                body: { reason: reasonOf(f) },
              })
            }
          >
            <ReasonFields />
          </ActionForm>
        </>
      ) : null}
    </>
  );
}

export function RequestPage() {
  const { params } = useRoute();
  const id = params.id!;
  const { t, tr } = useI18n();
  const role = currentSession()?.principal.role;
  const [r, setR] = useState<RequestView>();
  const [enterprise, setEnterprise] = useState<Enterprise>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const { data, error: err } = await api.GET('/v1/financing-requests/{id}', { params: { path: { id } } });
      if (!alive) return;
      if (err) return setError(tr('refused.not-found'));
      setR(data as RequestView);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [id, tick]);
  const [officer, setOfficer] = useState<string | null>();
  useEffect(() => {
    if (role !== 'bank' || !r?.claims[0]) return;
    void api
      .GET('/v1/financing-requests/{id}/responsible-officer', { params: { path: { id: r.id } } })
      .then(({ data }) => setOfficer((data as { name: string | null } | undefined)?.name ?? null));
  }, [r?.id, r?.claims[0]?.status]);
  // The profile is visible once the bank holds a claim (or the request was directed to it).
  useEffect(() => {
    if (!r || enterprise || role !== 'bank') return;
    void api
      .GET('/v1/enterprises/{enterpriseId}', { params: { path: { enterpriseId: r.enterpriseId } } })
      .then(({ data }) => data && setEnterprise(data as Enterprise));
  }, [r?.enterpriseId, r?.claims[0]?.status]);
  if (error) return <p class="refused">{error}</p>;
  if (!r) return <p>{t('loading')}</p>;
  const claim = r.claims[0];
  return (
    <div class="request" data-request-id={r.id}>
      <a href="/app/" class="back" id="back-to-todo">
        ← {t('back')}
      </a>
      <div class="columns">
        <div>
          <Need r={r} enterprise={enterprise} />
          <Timeline r={r} />
        </div>
        <div>
          <section class="card" id="claim">
            <h2>{role === 'guaranteeInstitution' ? t('guarantee.title') : t('request.yourClaim')}</h2>
            {claim ? (
              <p>
                <span class={`status ${claim.status}`} id="claim-status" data-status={claim.status}>
                  {tr(`status.${claim.status}`)}
                </span>{' '}
                {claim.deadlineAt ? (
                  <span class="due">
                    {t('deadline')} <Countdown to={claim.deadlineAt} />
                  </span>
                ) : null}
              </p>
            ) : null}
            {officer ? (
              <p id="officer">
                {t('request.officer')}: {officer}
              </p>
            ) : null}
            <h3>{t('request.actions')}</h3>
            {role === 'bank' ? <BankActions r={r} claim={claim} onDone={reload} /> : claim ? <GuarantorActions r={r} claim={claim} onDone={reload} /> : null}
          </section>
          {role === 'bank' && claim ? (
            <a class="button-link" id="open-portrait" href={`/app/requests/${r.id}/portrait`}>
              {t('request.portraitOpen')}
            </a>
          ) : null}
        </div>
      </div>
    </div>
  );
}
