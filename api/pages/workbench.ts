// The workbench web app (web/): one HTML shell for every /app path (client-side routing), its
// script bundled from web/src by esbuild on first request (no build step for npm start or CI),
// and the short task links of prompts, /w/<code>, which redirect to the task's page. Nothing here
// carries data: the app calls the public API with the user's own sign-in.
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import { build } from 'esbuild';
import type { ApiDeps } from '../deps';
import { requestIdOfTaskCode, TODO_CODE } from '../../notifications/taskLinks';

const WEB = path.join(__dirname, '..', '..', 'web');

/** Only our own script and style, and the API. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

let bundle: Promise<string> | undefined;

/** The app's script, bundled once per process (about a second); a failed build is retried on the next request. */
export function workbenchBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(WEB, 'src', 'main.tsx')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(WEB, 'tsconfig.json'),
    logLevel: 'silent',
  }).then(
    (r) => r.outputFiles[0]!.text,
    (err: unknown) => {
      bundle = undefined;
      throw err;
    },
  );
  return bundle;
}

function headers(res: Response, type: string): Response {
  return res.set('Content-Security-Policy', CSP).set('X-Content-Type-Options', 'nosniff').set('Cache-Control', 'no-cache').type(type);
}

export function workbenchPagesRouter(_deps: ApiDeps): Router {
  const r = Router();
  const shell = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
  r.get('/app/assets/main.js', async (_req, res) => void headers(res, 'text/javascript; charset=utf-8').send(await workbenchBundle()));
  r.get('/app/assets/style.css', (_req, res) => void headers(res, 'text/css; charset=utf-8').sendFile(path.join(WEB, 'style.css')));
  // Express matches /app and /app/ alike; the app's routes start at /app/.
  r.get(['/app', '/app/*path'], (req, res) => {
    if (req.path === '/app') return res.redirect(301, '/app/');
    headers(res, 'text/html; charset=utf-8').send(shell);
  });
  // A task link grants nothing: it names the request, the app asks for sign-in and checks access.
  r.get('/w/:code', (req, res) => {
    const code = req.params.code;
    const id = code === TODO_CODE ? undefined : requestIdOfTaskCode(code);
    if (code !== TODO_CODE && !id) {
      res
        .status(404)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>链接无效</title><p>链接无效或已过期。 This link is not valid.</p><p><a href="/app/">贷桥工作台 workbench</a></p>',
        );
      return;
    }
    res.redirect(302, id ? `/app/requests/${id}` : '/app/');
  });
  return r;
}
