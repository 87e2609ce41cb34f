// The shell of the public pages (loan-code form, tracking page): phone-first, self-contained (no
// scripts, fonts or CDN: the CSP below forbids them), bilingual Chinese + English.
import type { Response } from 'express';
import { escapeHtml } from '../../notifications/render';

export { escapeHtml };

/** Mobile-first: one column at phone width; wider screens only get a centred card. */
const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f3f5f8;color:#1c2430;font:16px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;-webkit-text-size-adjust:100%}
main{padding:16px 14px 32px;max-width:560px;margin:0 auto}
header{background:#0b5cad;color:#fff;padding:14px}
header h1{margin:0;font-size:1.2rem;line-height:1.3}
header p{margin:2px 0 0;font-size:.85rem;opacity:.9}
.card{background:#fff;border-radius:10px;padding:14px;margin:0 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
label{display:block;font-weight:600;margin:12px 0 4px}
label small,.hint{font-weight:400;color:#5a6472;font-size:.85rem}
input[type=text],input[type=tel],select,textarea{width:100%;font:inherit;padding:11px 10px;border:1px solid #b9c2cf;border-radius:8px;background:#fff;min-height:46px}
textarea{min-height:84px;resize:vertical}
input:focus,select:focus,textarea:focus{outline:2px solid #0b5cad;outline-offset:1px}
[aria-invalid=true]{border-color:#c62828;background:#fff6f6}
.field-error{color:#c62828;font-size:.875rem;margin:4px 0 0}
.consent{display:flex;gap:10px;align-items:flex-start;font-weight:400;margin-top:16px}
.consent input{width:22px;height:22px;margin:2px 0 0;flex:none}
button{width:100%;margin-top:18px;padding:13px;font:inherit;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:8px;min-height:48px}
.alert{border-left:4px solid #c62828;background:#fff6f6;padding:10px 12px;border-radius:6px;margin:0 0 14px}
.ok{border-left:4px solid #2e7d32;background:#f1f8f1;padding:10px 12px;border-radius:6px;margin:0 0 14px}
.stage{font-size:1.3rem;font-weight:700;color:#0b5cad}
.link{word-break:break-all;font-family:ui-monospace,Menlo,monospace;font-size:.85rem}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{border-left:3px solid #0b5cad;padding:2px 0 10px 12px;position:relative}
ol.timeline time{display:block;color:#5a6472;font-size:.85rem}
footer{color:#5a6472;font-size:.8rem;text-align:center;margin-top:20px}
.offer h3{margin:0 0 8px;font-size:1.05rem}
.offer dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
.offer dt{color:#5a6472;font-size:.9rem}
.offer dd{margin:0;font-weight:600}
.scale{border:0;padding:0;margin:12px 0 0;display:flex;flex-wrap:wrap;gap:6px}
.scale legend{font-weight:600;margin-bottom:4px;padding:0}
.scale label.star{display:inline-flex;align-items:center;gap:4px;margin:0;font-weight:400;border:1px solid #b9c2cf;border-radius:8px;padding:8px 12px;min-height:44px}
button.secondary{background:#fff;color:#c62828;border:1px solid #c62828}
@media (min-width:600px){main{padding-top:24px}header{padding:18px calc(50% - 266px)}}
`;

export function page(o: { title: string; heading: string; subheading?: string; body: string; refreshSeconds?: number }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="format-detection" content="telephone=no">
${o.refreshSeconds ? `<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}
<title>${escapeHtml(o.title)}</title>
<style>${CSS}</style>
</head><body>
<header><h1>${escapeHtml(o.heading)}</h1>${o.subheading ? `<p>${escapeHtml(o.subheading)}</p>` : ''}</header>
<main>
${o.body}
<footer>loanbridge 贷桥 · 政银企融资对接</footer>
</main>
</body></html>`;
}

/** Sends a public HTML page: never cached (one-time tokens, live stage), no scripts, no framing, no referrer leaks. */
export function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .type('html')
    .send(html);
}

export function notFoundPage(): string {
  return page({
    title: '贷款码无效 Loan code not found',
    heading: '贷款码无效或已停用',
    subheading: 'This loan code is unknown or no longer active',
    body: `<div class="card"><p>请向银行工作人员索取新的贷款码。</p><p>Please ask the bank for a current loan code.</p></div>`,
  });
}
