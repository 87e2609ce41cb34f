// Red / yellow / blue risk warnings from the difference between two portraits of one enterprise.
// red: new enforcement case, new dishonest-debtor listing, new black-list entry, new overdue past
// WARNING_CONFIG.redDaysPastDue; yellow: new lawsuit as defendant, new overdue, new
// administrative penalty; blue: score drop of at least WARNING_CONFIG.blueScoreDrop points, or the
// grade falling below WARNING_CONFIG.blueGradeFloor. A risk item only counts as new when the source
// was present in BOTH portraits — a source coming back after an outage must not look like fresh
// bad news. Without a previous portrait there is no change to classify, so no warnings. Pure.
import type { CreditPortrait } from './portrait';
import { GRADES, WARNING_CONFIG, type Grade } from './scorecard-config';
import type { SourceName } from './sources';

export type WarningLevel = 'red' | 'yellow' | 'blue';

export interface RiskWarning {
  level: WarningLevel;
  code:
    | 'NEW_ENFORCEMENT'
    | 'NEW_DISHONEST_DEBTOR'
    | 'NEW_BLACK_LIST'
    | 'NEW_SERIOUS_OVERDUE'
    | 'NEW_LAWSUIT'
    | 'NEW_OVERDUE'
    | 'NEW_PENALTY'
    | 'SCORE_DROP'
    | 'GRADE_BELOW_FLOOR';
  en: string;
  zh: string;
  /** Case number, decision number, month, or score change the warning is about. */
  subject: string;
}

const LEVEL_ORDER: Record<WarningLevel, number> = { red: 0, yellow: 1, blue: 2 };

function present(p: CreditPortrait, s: SourceName): boolean {
  return p.sources[s].status !== 'missing';
}

function gradeRank(g: Grade): number {
  return GRADES.findIndex((x) => x.grade === g);
}

function added<T>(before: readonly T[], after: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set(before.map(key));
  return after.filter((t) => !seen.has(key(t)));
}

export function riskWarnings(previous: CreditPortrait | undefined, next: CreditPortrait): RiskWarning[] {
  if (!previous) return [];
  const out: RiskWarning[] = [];
  const pr = previous.sections.riskInformation;
  const nr = next.sections.riskInformation;

  if (present(previous, 'courts') && present(next, 'courts') && pr.courts && nr.courts) {
    for (const e of added(pr.courts.enforcements, nr.courts.enforcements, (x) => x.caseNumber)) {
      out.push({ level: 'red', code: 'NEW_ENFORCEMENT', en: 'new court enforcement case', zh: '新增被执行案件', subject: e.caseNumber });
    }
    const activeBefore = pr.courts.dishonestDebtor.filter((d) => !d.delistedOn);
    const activeNow = nr.courts.dishonestDebtor.filter((d) => !d.delistedOn);
    for (const d of added(activeBefore, activeNow, (x) => x.caseNumber)) {
      out.push({ level: 'red', code: 'NEW_DISHONEST_DEBTOR', en: 'listed as dishonest debtor', zh: '新增失信被执行人记录', subject: d.caseNumber });
    }
    const defendant = (l: { role: string }) => l.role === 'defendant';
    for (const l of added(pr.courts.lawsuits.filter(defendant), nr.courts.lawsuits.filter(defendant), (x) => x.caseNumber)) {
      out.push({ level: 'yellow', code: 'NEW_LAWSUIT', en: 'new lawsuit as defendant', zh: '新增涉诉（被告）', subject: l.caseNumber });
    }
  }

  if (present(previous, 'administrative') && present(next, 'administrative') && pr.administrative && nr.administrative) {
    const active = (e: { removedOn?: string }) => !e.removedOn;
    for (const b of added(pr.administrative.blackList.filter(active), nr.administrative.blackList.filter(active), (x) => `${x.list}|${x.listedOn}`)) {
      out.push({ level: 'red', code: 'NEW_BLACK_LIST', en: `added to black list: ${b.list}`, zh: `列入黑名单：${b.list}`, subject: b.list });
    }
    for (const p of added(pr.administrative.penalties, nr.administrative.penalties, (x) => x.decisionNumber)) {
      out.push({ level: 'yellow', code: 'NEW_PENALTY', en: 'new administrative penalty', zh: '新增行政处罚', subject: p.decisionNumber });
    }
  }

  if (present(previous, 'creditBureau') && present(next, 'creditBureau') && pr.overdueHistory && nr.overdueHistory) {
    for (const o of added(pr.overdueHistory, nr.overdueHistory, (x) => `${x.month}|${x.daysPastDue}`)) {
      if (o.daysPastDue >= WARNING_CONFIG.redDaysPastDue) {
        out.push({ level: 'red', code: 'NEW_SERIOUS_OVERDUE', en: `overdue ${o.daysPastDue} days`, zh: `逾期${o.daysPastDue}天`, subject: o.month });
      } else {
        out.push({ level: 'yellow', code: 'NEW_OVERDUE', en: `new overdue (${o.daysPastDue} days)`, zh: `新增逾期（${o.daysPastDue}天）`, subject: o.month });
      }
    }
  }

  const drop = previous.score.score - next.score.score;
  if (drop >= WARNING_CONFIG.blueScoreDrop) {
    out.push({
      level: 'blue',
      code: 'SCORE_DROP',
      en: `score fell ${drop} points`,
      zh: `评分下降${drop}分`,
      subject: `${previous.score.score}→${next.score.score}`,
    });
  }
  const floor = gradeRank(WARNING_CONFIG.blueGradeFloor);
  if (gradeRank(previous.score.grade) <= floor && gradeRank(next.score.grade) > floor) {
    out.push({
      level: 'blue',
      code: 'GRADE_BELOW_FLOOR',
      en: `grade fell to ${next.score.grade}`,
      zh: `评级降至${next.score.grade}`,
      subject: `${previous.score.grade}→${next.score.grade}`,
    });
  }

  return out.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
}

/** The most severe level among the warnings, if any (what a bank's dashboard colour shows). */
export function highestLevel(warnings: readonly RiskWarning[]): WarningLevel | undefined {
  return warnings.reduce<WarningLevel | undefined>((best, w) => (best === undefined || LEVEL_ORDER[w.level] < LEVEL_ORDER[best] ? w.level : best), undefined);
}

/** The portrait section each warning is drawn from: a bank sees its detail only under a grant for it. */
export function warningSection(w: RiskWarning): 'riskInformation' | 'creditScore' {
  return w.code === 'SCORE_DROP' || w.code === 'GRADE_BELOW_FLOOR' ? 'creditScore' : 'riskInformation';
}
