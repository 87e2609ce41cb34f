// A clean, mid-sized manufacturing enterprise as of 2026-06-15, to perturb in tests.
import type { SourceRecordMap } from '../../../domain/credit/records';
import type { SourceOutcomes } from '../../../domain/credit/portrait';
import { SOURCE_NAMES } from '../../../domain/credit/sources';

export const AS_OF = new Date('2026-06-15T00:00:00Z');
export const CODE = '91330402MA2B3C4D5E';

function months(n: number, value: (back: number) => number) {
  const out: Array<{ month: string; v: number }> = [];
  for (let back = n; back >= 1; back--) {
    const d = new Date(Date.UTC(2026, 5 - back, 1));
    out.push({ month: d.toISOString().slice(0, 7), v: value(back) });
  }
  return out;
}

export function cleanRecords(): SourceRecordMap {
  return {
    marketRegulation: {
      creditCode: CODE,
      name: '嘉兴恒丰制造有限公司',
      legalRepresentative: '王伟',
      legalRepresentativeChanges24m: 0,
      registeredCapitalFen: 3_000_000_00,
      industry: 'C',
      region: '330402',
      status: 'active',
      foundedOn: '2018-03-01',
      shareholders: [{ name: '王伟', kind: 'person', shareBp: 10_000 }],
      affiliates: [],
    },
    tax: {
      creditCode: CODE,
      taxCreditGrade: 'B',
      monthlyTaxesPaid: months(24, () => 30_000_00).map((m) => ({ month: m.month, amountFen: m.v })),
      arrearsFen: 0,
    },
    utilities: {
      creditCode: CODE,
      electricityKwh: months(24, () => 40_000).map((m) => ({ month: m.month, quantity: m.v })),
      waterM3: months(24, () => 800).map((m) => ({ month: m.month, quantity: m.v })),
      arrearsFen: 0,
    },
    socialSecurity: { creditCode: CODE, insuredEmployees: months(24, () => 30).map((m) => ({ month: m.month, quantity: m.v })), arrearsFen: 0 },
    courts: { creditCode: CODE, lawsuits: [], enforcements: [], dishonestDebtor: [] },
    administrative: { creditCode: CODE, licences: [{ name: '营业执照', issuedOn: '2018-03-01' }], penalties: [], redList: [], blackList: [] },
    creditBureau: {
      creditCode: CODE,
      loans: [
        {
          lender: '嘉兴银行',
          principalFen: 1_000_000_00,
          outstandingFen: 600_000_00,
          openedOn: '2025-09-01',
          maturesOn: '2026-09-01',
          guaranteeMethod: 'mortgage',
        },
      ],
      overdueHistory: [],
      mortgages: [{ asset: '工业厂房', appraisedFen: 1_600_000_00, securedFen: 1_000_000_00, registeredOn: '2025-09-01' }],
      guaranteesGivenFen: 0,
    },
    honours: { creditCode: CODE, tags: [] },
  };
}

/** Every source ok, fetched at asOf. */
export function okOutcomes(records: SourceRecordMap = cleanRecords(), fetchedAt = AS_OF.toISOString()): SourceOutcomes {
  const out: Record<string, unknown> = {};
  for (const s of SOURCE_NAMES) out[s] = { status: 'ok', data: records[s], fetchedAt };
  return out as SourceOutcomes;
}
