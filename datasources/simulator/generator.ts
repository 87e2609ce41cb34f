// Deterministic synthetic enterprises for the data-source simulator and the calibration bench.
//
// Each enterprise has a LATENT risk z (standard normal plus an industry effect) that the
// scorecard never sees. z drives the observable records noisily and through functional forms of
// its own (Poisson rates, lognormal trends, thresholds on z + noise), and the 12-month default
// outcome is drawn as Bernoulli(sigmoid(DEFAULT_ALPHA + DEFAULT_BETA · z)). So the scorecard
// can only recover risk from the noisy records — which is what the bench's AUC measures.
//
// Everything is keyed by (seed, creditCode): the same code yields the same enterprise, whichever
// route asks for it. Dates are relative to `asOf` (monthly series end at the last full month).
import { creditCodeCheckChar } from '../../domain/creditCode';
import type {
  Affiliate,
  BureauLoan,
  EnforcementCase,
  HonourTag,
  Lawsuit,
  ListEntry,
  MonthlyAmount,
  MonthlyQuantity,
  OverdueEntry,
  Penalty,
  RegistrationStatus,
  Shareholder,
  SourceRecordMap,
  TaxCreditGrade,
} from '../../domain/credit/records';
import { Draws, sigmoid } from './random';

export const DEFAULT_SEED = 'loanbridge-sim-v1';
/** Intercept and slope of the latent default model: ≈ 7 % of enterprises default within 12 months. */
const DEFAULT_ALPHA = -3.4;
const DEFAULT_BETA = 1.7;

export interface SyntheticEnterprise {
  creditCode: string;
  /** Hidden risk driver; larger = riskier. Not served by any route. */
  latentRisk: number;
  /** Whether it defaults within 12 months of asOf. Not served by any route. */
  defaulted: boolean;
  records: SourceRecordMap;
}

/** GB/T 4754 sections with their share of requesters (manufacturing ≈ 62 % as in Jiaxing) and risk effect on z. */
const INDUSTRIES: ReadonlyArray<readonly [string, number, number, string]> = [
  ['C', 62, 0, '制造'],
  ['F', 12, 0.1, '商贸'],
  ['I', 5, -0.1, '信息科技'],
  ['M', 4, -0.15, '技术服务'],
  ['E', 4, 0.35, '建设工程'],
  ['L', 4, 0.05, '商务服务'],
  ['G', 3, 0.05, '物流'],
  ['H', 2, 0.35, '餐饮'],
  ['A', 1.5, 0.1, '农业'],
  ['D', 1, -0.3, '能源'],
  ['K', 1, 0.4, '置业'],
  ['R', 0.5, 0.3, '文化传媒'],
];
const REGIONS = ['330402', '330411', '330421', '330424', '330481', '330482', '330483', '320505', '320506', '320507', '320508', '320509'];
const CITY_BY_PREFIX: Record<string, string> = { '3304': '嘉兴', '3205': '苏州' };
const NAME_CHARS = ['华', '瑞', '恒', '丰', '鑫', '盛', '达', '联', '创', '佳', '宏', '远', '新', '源', '泰', '隆', '昌', '嘉', '禾', '诚'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '沈', '朱', '钱'];
const GIVEN = ['伟', '芳', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '华', '平'];
const LENDERS = ['嘉兴银行', '禾城农商银行', '嘉善农商银行', '苏州银行', '工商银行', '农业银行', '建设银行', '中国银行'];

const FEN_PER_CNY = 100;

function monthString(asOf: Date, back: number): string {
  const d = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}
function dateString(asOf: Date, daysBack: number): string {
  return new Date(asOf.getTime() - Math.round(daysBack) * 86_400_000).toISOString().slice(0, 10);
}
function monthOf(asOf: Date, back: number): number {
  return (((asOf.getUTCMonth() - back) % 12) + 12) % 12; // 0 = January
}

/** Electricity by calendar month: summer air-conditioning peak, Spring Festival trough. */
const ELECTRICITY_SEASON = [1.05, 0.7, 0.95, 0.98, 1.0, 1.05, 1.2, 1.22, 1.05, 0.97, 0.98, 1.05];
const WATER_SEASON = [0.9, 0.75, 0.95, 1.0, 1.05, 1.1, 1.2, 1.2, 1.05, 1.0, 0.95, 0.9];

function personName(d: Draws): string {
  return d.pick(SURNAMES) + d.pick(GIVEN) + (d.chance(0.6) ? d.pick(GIVEN) : '');
}

function orgCode(d: Draws): string {
  // GB 11714 organisation code: 8 body symbols + a mod-11 check (X for 10).
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let body = '';
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = d.int(0, 9);
    body += String(v);
    sum += v * (weights[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/** A valid unified social credit code for an enterprise (登记管理机关 9 = market regulation, 类别 1 = enterprise). */
export function syntheticCreditCode(d: Draws, region?: string): string {
  const first17 = '91' + (region ?? d.pick(REGIONS)) + orgCode(d);
  const check = creditCodeCheckChar(first17);
  if (!check) throw new Error('bad synthetic credit code');
  return first17 + check;
}

/** `n` distinct valid credit codes, deterministic in `seed`. */
export function syntheticCreditCodes(n: number, seed = DEFAULT_SEED): string[] {
  const d = new Draws(`${seed}:codes`);
  const out = new Set<string>();
  while (out.size < n) out.add(syntheticCreditCode(d));
  return [...out];
}

function series(asOf: Date, months: number, level: (back: number) => number): Array<{ month: string; value: number }> {
  const out: Array<{ month: string; value: number }> = [];
  for (let back = months; back >= 1; back--) out.push({ month: monthString(asOf, back), value: level(back) });
  return out;
}

export function generateEnterprise(creditCode: string, asOf: Date, seed = DEFAULT_SEED): SyntheticEnterprise {
  const d = new Draws(`${seed}:${creditCode}`);
  const region = /^\d{6}$/.test(creditCode.slice(2, 8)) ? creditCode.slice(2, 8) : d.pick(REGIONS);

  const [industry, , industryEffect, industryWord] = d.weighted(INDUSTRIES.map((row) => [row, row[1]] as const));
  const z = d.normal() + industryEffect;
  const defaulted = d.chance(sigmoid(DEFAULT_ALPHA + DEFAULT_BETA * z));
  // Size is mostly independent of risk; smaller firms are a little riskier.
  const size = 0.9 * d.normal() - 0.25 * z;

  // ——— market regulation ———
  const ageYears = Math.min(40, Math.max(0.1, Math.exp(1.7 - 0.3 * z + 0.7 * d.normal())));
  const registeredCapitalCny = Math.round(Math.exp(Math.log(3_000_000) + 1.3 * size) / 10_000) * 10_000 || 10_000;
  const status: RegistrationStatus =
    z + 0.8 * d.normal() > 3.8 ? d.pick(['revoked', 'deregistered'] as const) : z + 0.8 * d.normal() > 2.6 ? 'abnormal' : 'active';
  const city = CITY_BY_PREFIX[region.slice(0, 4)] ?? '嘉兴';
  const name = `${city}${d.pick(NAME_CHARS)}${d.pick(NAME_CHARS)}${industryWord}有限公司`;
  const legalRepresentative = personName(d);
  const shareholders: Shareholder[] = [];
  const nHolders = d.int(1, 4);
  let left = 10_000;
  for (let i = 0; i < nHolders; i++) {
    const share = i === nHolders - 1 ? left : Math.max(100, Math.round(left * (0.4 + 0.4 * d.next())));
    left -= share;
    if (d.chance(0.2))
      shareholders.push({
        name: `${city}${d.pick(NAME_CHARS)}${d.pick(NAME_CHARS)}投资有限公司`,
        kind: 'enterprise',
        creditCode: syntheticCreditCode(d, region),
        shareBp: share,
      });
    else shareholders.push({ name: i === 0 ? legalRepresentative : personName(d), kind: 'person', shareBp: share });
    if (left <= 0) break;
  }
  const affiliates: Affiliate[] = [];
  for (let i = d.poisson(0.8); i > 0; i--) {
    affiliates.push({
      creditCode: syntheticCreditCode(d, region),
      name: `${city}${d.pick(NAME_CHARS)}${d.pick(NAME_CHARS)}${d.pick(INDUSTRIES)[3]}有限公司`,
      relation: d.chance(0.6) ? 'investee' : 'sharedLegalRepresentative',
    });
  }

  // ——— tax ———
  const growth = Math.exp(-0.15 * z + 0.12 * d.normal()); // year-on-year business growth
  const annualTaxCny = registeredCapitalCny * 0.05 * Math.exp(0.8 * d.normal());
  const taxGradeDraw = -0.9 * z + 0.8 * d.normal();
  const taxCreditGrade: TaxCreditGrade = ageYears < 1 ? 'M' : taxGradeDraw > 0.9 ? 'A' : taxGradeDraw > -0.8 ? 'B' : taxGradeDraw > -1.7 ? 'C' : 'D';
  const monthsOfHistory = Math.min(24, Math.floor(ageYears * 12));
  const monthlyTaxesPaid: MonthlyAmount[] = series(asOf, monthsOfHistory, (back) => {
    // Quarterly prepayments of enterprise income tax fall in Jan / Apr / Jul / Oct.
    const quarterBump = monthOf(asOf, back) % 3 === 0 ? 1.6 : 0.7;
    return (annualTaxCny / 12) * quarterBump * Math.pow(growth, -back / 12) * (1 + 0.15 * d.normal());
  }).map((p) => ({ month: p.month, amountFen: Math.max(0, Math.round(p.value * FEN_PER_CNY)) }));
  const taxArrearsFen = d.chance(sigmoid(-4.2 + 1.2 * z)) ? d.int(5_000, 200_000) * FEN_PER_CNY : 0;

  // ——— utilities ———
  const kwhBase = (industry === 'C' ? 40_000 : 6_000) * Math.exp(0.7 * size + 0.3 * d.normal());
  const electricityGrowth = growth * Math.exp(0.08 * d.normal());
  const electricityKwh: MonthlyQuantity[] = series(
    asOf,
    monthsOfHistory,
    (back) => kwhBase * (ELECTRICITY_SEASON[monthOf(asOf, back)] ?? 1) * Math.pow(electricityGrowth, -back / 12) * (1 + 0.08 * d.normal()),
  ).map((p) => ({ month: p.month, quantity: Math.max(0, Math.round(p.value)) }));
  const waterBase = (industry === 'C' ? 800 : 150) * Math.exp(0.5 * size + 0.3 * d.normal());
  const waterM3: MonthlyQuantity[] = series(
    asOf,
    monthsOfHistory,
    (back) => waterBase * (WATER_SEASON[monthOf(asOf, back)] ?? 1) * Math.pow(growth, -back / 12) * (1 + 0.1 * d.normal()),
  ).map((p) => ({ month: p.month, quantity: Math.max(0, Math.round(p.value)) }));
  const utilityArrearsFen = d.chance(sigmoid(-4.5 + z)) ? d.int(1_000, 50_000) * FEN_PER_CNY : 0;

  // ——— social security ———
  const employeesBase = Math.exp(Math.log(25) + 0.9 * size + 0.4 * d.normal());
  const employeeGrowth = Math.exp(-0.12 * z + 0.1 * d.normal());
  const insuredEmployees: MonthlyQuantity[] = series(asOf, monthsOfHistory, (back) => employeesBase * Math.pow(employeeGrowth, -back / 12)).map((p) => ({
    month: p.month,
    quantity: Math.max(1, Math.round(p.value)),
  }));
  const socialSecurityArrearsFen = d.chance(sigmoid(-4 + 1.2 * z)) ? d.int(2_000, 100_000) * FEN_PER_CNY : 0;

  // ——— courts ———
  let caseSeq = 0;
  const caseNumber = (kind: string, daysBack: number): string =>
    `(${dateString(asOf, daysBack).slice(0, 4)})浙04${kind}${1000 + ((creditCode.charCodeAt(10) * 31 + caseSeq++ * 97) % 9000)}号`;
  const lawsuits: Lawsuit[] = [];
  for (let i = d.poisson(0.12 * Math.exp(0.8 * z)); i > 0; i--) {
    const back = d.int(10, 1095);
    lawsuits.push({
      caseNumber: caseNumber('民初', back),
      filedOn: dateString(asOf, back),
      role: 'defendant',
      cause: d.pick(['买卖合同纠纷', '借款合同纠纷', '劳动争议', '租赁合同纠纷']),
      amountFen: d.int(20_000, 2_000_000) * FEN_PER_CNY,
      status: back > 365 && d.chance(0.7) ? 'closed' : 'pending',
    });
  }
  for (let i = d.poisson(0.15); i > 0; i--) {
    const back = d.int(10, 1095);
    lawsuits.push({
      caseNumber: caseNumber('民初', back),
      filedOn: dateString(asOf, back),
      role: 'plaintiff',
      cause: '买卖合同纠纷',
      amountFen: d.int(20_000, 1_000_000) * FEN_PER_CNY,
      status: back > 365 ? 'closed' : 'pending',
    });
  }
  const enforcements: EnforcementCase[] = [];
  const dishonestDebtor: Array<{ caseNumber: string; listedOn: string; delistedOn?: string }> = [];
  for (let i = d.poisson(0.03 * Math.exp(1.1 * z)); i > 0; i--) {
    const back = d.int(10, 900);
    const ongoing = d.chance(0.7);
    const c: EnforcementCase = {
      caseNumber: caseNumber('执', back),
      filedOn: dateString(asOf, back),
      amountFen: d.int(50_000, 3_000_000) * FEN_PER_CNY,
      status: ongoing ? 'ongoing' : 'concluded',
    };
    enforcements.push(c);
    if (ongoing && d.chance(0.35)) dishonestDebtor.push({ caseNumber: c.caseNumber, listedOn: dateString(asOf, back - 5) });
  }

  // ——— administrative ———
  const penalties: Penalty[] = [];
  for (let i = d.poisson(0.12 * Math.exp(0.5 * z)); i > 0; i--) {
    const back = d.int(10, 1095);
    penalties.push({
      decisionNumber: `嘉市监罚〔${dateString(asOf, back).slice(0, 4)}〕${d.int(1, 999)}号`,
      decidedOn: dateString(asOf, back),
      authority: d.pick(['市场监督管理局', '生态环境局', '应急管理局', '税务局']),
      reason: d.pick(['环保设施未正常运行', '安全生产隐患', '虚假宣传', '未按期申报']),
      amountFen: d.int(1_000, 200_000) * FEN_PER_CNY,
    });
  }
  const redList: ListEntry[] = d.chance(sigmoid(-3.5 - 1.0 * z)) ? [{ list: '守合同重信用企业', listedOn: dateString(asOf, d.int(30, 700)) }] : [];
  const blackList: ListEntry[] = d.chance(sigmoid(-6 + 1.5 * z))
    ? [{ list: d.pick(['重大税收违法失信主体', '严重违法失信企业名单']), listedOn: dateString(asOf, d.int(30, 700)) }]
    : [];
  const licences = [{ name: '营业执照', issuedOn: dateString(asOf, ageYears * 365.25) }];
  if (industry === 'C' && d.chance(0.5)) licences.push({ name: '排污许可证', issuedOn: dateString(asOf, d.int(100, 1000)) });
  if (industry === 'H') licences.push({ name: '食品经营许可证', issuedOn: dateString(asOf, d.int(100, 1000)) });

  // ——— credit bureau ———
  const loans: BureauLoan[] = [];
  const leverage = Math.exp(-0.9 + 0.35 * z + 0.6 * d.normal());
  const nLoans = d.poisson(1.3);
  for (let i = 0; i < nLoans; i++) {
    const principalFen = Math.round((registeredCapitalCny * leverage) / nLoans / 100) * 100 * FEN_PER_CNY;
    const openedBack = d.int(30, 900);
    const termDays = d.pick([365, 730, 1095]);
    loans.push({
      lender: d.pick(LENDERS),
      principalFen,
      outstandingFen: Math.round((principalFen * (0.3 + 0.65 * d.next())) / 100) * 100,
      openedOn: dateString(asOf, openedBack),
      maturesOn: dateString(asOf, openedBack - termDays),
      guaranteeMethod: d.weighted([
        ['mortgage', 44],
        ['guarantee', 24],
        ['credit', 21],
        ['pledge', 6],
        ['combination', 5],
      ] as const),
    });
  }
  const overdueHistory: OverdueEntry[] = [];
  if (nLoans > 0 && d.chance(sigmoid(-3.0 + 1.3 * z))) {
    const severity = z + d.normal();
    const dpd = severity > 2.5 ? d.int(91, 180) : severity > 1.5 ? d.int(31, 90) : d.int(1, 30);
    for (let m = d.int(1, 3); m > 0; m--)
      overdueHistory.push({ month: monthString(asOf, d.int(1, 12)), daysPastDue: dpd, amountFen: d.int(10_000, 500_000) * FEN_PER_CNY });
  }
  if (d.chance(sigmoid(-2.8 + 0.9 * z))) {
    overdueHistory.push({ month: monthString(asOf, d.int(13, 36)), daysPastDue: d.int(1, 60), amountFen: d.int(10_000, 300_000) * FEN_PER_CNY });
  }
  overdueHistory.sort((a, b) => a.month.localeCompare(b.month));
  const mortgages = loans
    .filter((l) => l.guaranteeMethod === 'mortgage' || l.guaranteeMethod === 'combination')
    .map((l) => ({
      asset: d.pick(['工业厂房', '国有建设用地使用权', '机器设备']),
      appraisedFen: Math.round(l.principalFen * 1.6),
      securedFen: l.principalFen,
      registeredOn: l.openedOn,
    }));
  const guaranteesGivenFen = d.chance(0.15) ? d.int(100_000, 5_000_000) * FEN_PER_CNY : 0;

  // ——— honours ———
  const techIndustry = industry === 'C' || industry === 'I' || industry === 'M';
  const tags: HonourTag[] = [];
  if (d.chance(sigmoid(-1.8 - 0.5 * z + (techIndustry ? 0.8 : -1))))
    tags.push({ code: 'HIGH_TECH', name: '高新技术企业', grantedOn: dateString(asOf, d.int(30, 1000)), expiresOn: dateString(asOf, -d.int(30, 1000)) });
  if (d.chance(sigmoid(-3 - 0.5 * z + (industry === 'C' ? 0.7 : 0)))) {
    tags.push({ code: 'SPECIALISED_INNOVATIVE', name: '专精特新中小企业', grantedOn: dateString(asOf, d.int(30, 1000)) });
    if (d.chance(0.1)) tags.push({ code: 'LITTLE_GIANT', name: '专精特新“小巨人”企业', grantedOn: dateString(asOf, d.int(30, 700)) });
  }
  if (d.chance(sigmoid(-2 - 0.3 * z))) tags.push({ code: 'TECH_SME', name: '科技型中小企业', grantedOn: dateString(asOf, d.int(30, 365)) });
  if (taxCreditGrade === 'A') tags.push({ code: 'TAX_GRADE_A', name: 'A级纳税人', grantedOn: `${asOf.getUTCFullYear() - 1}-04-30` });

  const foundedOn = dateString(asOf, ageYears * 365.25);
  return {
    creditCode,
    latentRisk: z,
    defaulted,
    records: {
      marketRegulation: {
        creditCode,
        name,
        legalRepresentative,
        legalRepresentativeChanges24m: d.poisson(0.1 * Math.exp(0.6 * z)),
        registeredCapitalFen: registeredCapitalCny * FEN_PER_CNY,
        industry,
        region,
        status,
        foundedOn,
        shareholders,
        affiliates,
      },
      tax: { creditCode, taxCreditGrade, monthlyTaxesPaid, arrearsFen: taxArrearsFen },
      utilities: { creditCode, electricityKwh, waterM3, arrearsFen: utilityArrearsFen },
      socialSecurity: { creditCode, insuredEmployees, arrearsFen: socialSecurityArrearsFen },
      courts: { creditCode, lawsuits, enforcements, dishonestDebtor },
      administrative: { creditCode, licences, penalties, redList, blackList },
      creditBureau: { creditCode, loans, overdueHistory, mortgages, guaranteesGivenFen },
      honours: { creditCode, tags },
    },
  };
}
