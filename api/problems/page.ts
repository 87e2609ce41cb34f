// GET /problems/{type}: the page a problem's `type` URI leads to, in Chinese (default) or English
// (?lang=en, or an Accept-Language that prefers English), with a link to the other language.
import { Router } from 'express';
import { HttpProblem } from '../problem';
import { PROBLEMS } from './catalogue';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** `code` spans for the member names the texts mention in backquotes. */
const render = (s: string) => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>');

export function problemPagesRouter(): Router {
  const r = Router();
  r.get('/problems/:type', (req, res) => {
    const code = req.params.type;
    const entry = Object.hasOwn(PROBLEMS, code) ? PROBLEMS[code] : undefined;
    if (!entry) throw new HttpProblem(404, 'not-found', 'No such problem type', `${code} is not a problem this API answers with`);
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const lang = asked === 'en' || asked === 'zh' ? asked : req.acceptsLanguages('zh', 'en') === 'en' ? 'en' : 'zh';
    const t = entry[lang];
    const other = lang === 'zh' ? { lang: 'en', label: 'English' } : { lang: 'zh', label: '中文' };
    res
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .set('Content-Language', lang === 'zh' ? 'zh-CN' : 'en')
      .vary('Accept-Language')
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
          `<title>${escape(t.title)} · loanbridge</title><style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6}code{background:#eee;padding:0 .2em}</style></head>` +
          `<body><p><a href="?lang=${other.lang}" hreflang="${other.lang}">${other.label}</a></p><h1>${escape(t.title)}</h1>` +
          `<p>HTTP ${entry.status} · <code>${escape(code)}</code></p><p>${render(t.text)}</p></body></html>`,
      );
  });
  return r;
}
