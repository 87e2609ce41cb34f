// The supervisor dashboard (监管驾驶舱): a public HTML shell with a sign-in form; the page signs in
// at POST /v1/auth/token, keeps the token in sessionStorage and calls the API with it, so no data is
// served without credentials. Plain HTML/CSS/JS, no build step, Chart.js served from node_modules.
import path from 'node:path';
import { Router, type Response } from 'express';
import type { ApiDeps } from '../deps';

const DIR = path.join(__dirname, 'dashboard');
/** chart.js exports only its module entry points; the UMD bundle sits next to the CommonJS one. */
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

const ASSETS: Record<string, { file: string; type: string }> = {
  'app.js': { file: path.join(DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  'i18n.js': { file: path.join(DIR, 'i18n.js'), type: 'text/javascript; charset=utf-8' },
  'style.css': { file: path.join(DIR, 'style.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.js': { file: CHART_JS, type: 'text/javascript; charset=utf-8' },
};

/** Only our own scripts and the API; links to the Temporal UI are plain navigations. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function send(res: Response, file: string, type: string, maxAge: number): void {
  res.set('Content-Security-Policy', CSP).set('X-Content-Type-Options', 'nosniff').type(type);
  res.sendFile(file, { maxAge, immutable: false });
}

export function dashboardPagesRouter(_deps: ApiDeps): Router {
  const r = Router();
  r.get('/dashboard', (_req, res) => send(res, path.join(DIR, 'index.html'), 'text/html; charset=utf-8', 0));
  r.get('/dashboard/assets/:name', (req, res, next) => {
    const a = ASSETS[req.params.name];
    if (!a) return next();
    send(res, a.file, a.type, 5 * 60_000);
  });
  return r;
}
