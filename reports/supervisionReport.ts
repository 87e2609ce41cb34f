// The weekly supervision report rendered from a ranking: an HTML page and a PDF (pdfkit, with a CJK
// font when the server has one).
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { shanghaiDate } from '../domain/calendar';
import type { BankFigures, DurationFigures, RankingRow } from '../domain/supervision';
import { SUPERVISION_CONFIG } from '../domain/supervision';
import { escapeHtml } from '../notifications/render';
import { amountWan, shanghaiLocal } from '../notifications/templateParams';
import type { Period, RankingReport } from '../queries/assessment';

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
const hours = (d: DurationFigures) => (d.median === null ? '–' : `${d.median.toFixed(1)} / ${d.p90!.toFixed(1)}`);
const avgRating = (r: BankFigures['rating']) => {
  const xs = [r.meetsNeed, r.cost, r.speed, r.communication].filter((x): x is number => x !== null);
  return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2) : '–';
};
export const periodLabel = (p: Period) => `${shanghaiDate(new Date(p.periodStart))} – ${shanghaiDate(new Date(new Date(p.periodEnd).getTime() - 1))}`;

/** The report as an HTML page (what GET /v1/supervision/reports/:id.html serves and the e-mail links to). */
export function renderReportHtml(r: RankingReport, generatedAt: Date): string {
  const w = SUPERVISION_CONFIG.ranking.weights;
  const rows = r.rows
    .map((x) => {
      const f = x.figures;
      return `<tr><td>${x.rank ?? '–'}</td><td>${escapeHtml(x.bankName)}<br><small>${escapeHtml(x.bankId)}</small></td><td><b>${x.score ?? '–'}</b></td><td>${hours(f.acceptHours)}</td><td>${hours(f.decideHours)}</td><td>${hours(f.disburseHours)}</td><td>${pct(f.missedShare)} (${f.expired}/${f.claimsEnded})</td><td>${pct(f.grabWinRate)}</td><td>${pct(f.approvalRate)}</td><td>${avgRating(f.rating)}</td><td>${f.loans.count}</td><td>${amountWan(f.loans.amountFen)}</td><td>${f.loans.firstLoans}</td><td>${f.loans.creditLoans}</td></tr>`;
    })
    .join('\n');
  const weights = Object.entries(w)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>线上办理考核通报 Service assessment ${escapeHtml(periodLabel(r))}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:nth-child(2){text-align:left}th{background:#f4f4f4}small{color:#777}</style></head>
<body>
<h1>线上办理考核通报 · Bank service assessment</h1>
<p>考核期间 Period (Asia/Shanghai): <b>${escapeHtml(periodLabel(r))}</b> · 参评机构 Ranked banks: ${r.rankedBanks} · 生成 Generated ${escapeHtml(shanghaiLocal(generatedAt.toISOString()))}</p>
<table>
<thead><tr><th>排名 Rank</th><th>机构 Bank</th><th>得分 Score</th><th>受理 h to accept<br>median / p90</th><th>审批 h to decide<br>median / p90</th><th>放款 h to disburse<br>median / p90</th><th>超时 Missed deadlines</th><th>抢单 Grab win</th><th>通过率 Approval</th><th>评价 Rating</th><th>放款笔数 Loans</th><th>金额(万元) Amount</th><th>首贷 First</th><th>信用贷 Credit</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><small>Score = 100 × Σ wᵢ·cᵢ / Σ wᵢ over the components a bank has figures for (domain/supervision.ts, version ${escapeHtml(r.configVersion)}). Weights: ${escapeHtml(weights)}.
Speeds: 1 − median hours / reference (${SUPERVISION_CONFIG.ranking.referenceHours.accept} h, ${SUPERVISION_CONFIG.ranking.referenceHours.decide} h, ${SUPERVISION_CONFIG.ranking.referenceHours.disburse} h); rating: (average − 1) / 4; volume relative to the busiest bank.</small></p>
</body></html>
`;
}

/** CJK fonts looked for on disk (Chinese bank names in the PDF); REPORT_CJK_FONT may name another (.ttf/.otf, or .ttc with REPORT_CJK_FONT_FAMILY). */
const CJK_FONTS: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

export function findCjkFont(env: Record<string, string | undefined> = process.env): { path: string; family?: string } | undefined {
  const configured = env.REPORT_CJK_FONT ? [{ path: env.REPORT_CJK_FONT, family: env.REPORT_CJK_FONT_FAMILY }] : [];
  return [...configured, ...CJK_FONTS].find((f) => fs.existsSync(f.path));
}

/** Without a CJK font the PDF keeps the Latin part of a name ("禾城农商银行 Hecheng RCB" → "Hecheng RCB"), else the bank id. */
function latinName(name: string, fallback: string): string {
  const latin = name
    .replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return latin.length >= 2 ? latin : fallback;
}

/** The report as a PDF (pdfkit): one table row per bank, the score formula at the foot. */
export async function renderReportPdf(r: RankingReport, generatedAt: Date, font = findCjkFont()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: `Bank service assessment ${periodLabel(r)}`, CreationDate: generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) doc.registerFont('body', font.path, font.family);
  doc.font(font ? 'body' : 'Helvetica');
  const name = (x: RankingRow) => (font ? x.bankName : latinName(x.bankName, x.bankId));
  doc.fontSize(16).text(font ? '线上办理考核通报 · Bank service assessment' : 'Bank service assessment');
  doc
    .fontSize(10)
    .text(`Period (Asia/Shanghai): ${periodLabel(r)}    Ranked banks: ${r.rankedBanks}    Generated: ${shanghaiLocal(generatedAt.toISOString())}`);
  if (!font)
    doc
      .fontSize(8)
      .fillColor('#666')
      .text('No CJK font on this server: Chinese names are shown by their Latin part or bank id; the HTML report has them in full.')
      .fillColor('black');
  doc.moveDown();
  const cols: [string, number][] = [
    ['Rank', 34],
    ['Bank', 190],
    ['Score', 44],
    ['h accept med/p90', 76],
    ['h decide med/p90', 76],
    ['h disburse med/p90', 80],
    ['Missed', 50],
    ['Grab win', 50],
    ['Approval', 50],
    ['Rating', 38],
    ['Loans', 36],
    ['Amount (10k CNY)', 66],
  ];
  const row = (cells: string[]) => {
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.fontSize(8);
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: cols[i]![1] - 4, lineBreak: false, ellipsis: true });
      x += cols[i]![1];
    });
    doc.x = doc.page.margins.left;
    doc.y = y + 14;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
  };
  row(cols.map((c) => c[0]));
  for (const x of r.rows) {
    const f = x.figures;
    row([
      String(x.rank ?? '-'),
      name(x),
      x.score === null ? '-' : x.score.toFixed(2),
      hours(f.acceptHours).replace('–', '-'),
      hours(f.decideHours).replace('–', '-'),
      hours(f.disburseHours).replace('–', '-'),
      pct(f.missedShare).replace('–', '-'),
      pct(f.grabWinRate).replace('–', '-'),
      pct(f.approvalRate).replace('–', '-'),
      avgRating(f.rating).replace('–', '-'),
      String(f.loans.count),
      amountWan(f.loans.amountFen),
    ]);
  }
  doc.moveDown();
  doc
    .fontSize(7)
    .fillColor('#444')
    .text(
      `Score = 100 x sum(w_i c_i) / sum(w_i) over the components a bank has figures for (config ${r.configVersion}). Weights: ${Object.entries(r.weights)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      doc.page.margins.left,
      doc.y,
    );
  doc.end();
  return ended;
}
