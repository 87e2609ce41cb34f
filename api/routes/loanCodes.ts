// /v1/loan-codes: a bank's loan codes (贷款码). Each is a short unguessable id printed as a QR code
// that opens the public request form (api/pages/loanCodeForm.ts) with the bank preselected.
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import QRCode, { type QRCodeRenderersOptions } from 'qrcode';
import type { LoanCode } from '../../generated/prisma/client';
import { notVisible, notYours, ownBank, principalOf } from '../auth/access';
import { inRegion } from '../auth/requestAccess';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { loanCodeFormPath, publicBase } from '../pages/urls';
import { createLoanCodeBody, loanCodeParams } from '../schemas/loanCodes';
import { parseBody, parseParams } from '../validate';

/** 12 random bytes → 16 base64url characters: 96 bits, unguessable, still a small (version 3–4) QR code. */
export const newLoanCodeId = (): string => randomBytes(12).toString('base64url');

/** One set of QR options for both formats; M (15 %) survives a scuffed printout. Exported so tests can re-encode. */
export const QR_OPTIONS: QRCodeRenderersOptions & { errorCorrectionLevel: 'M' } = { errorCorrectionLevel: 'M', margin: 4, width: 512 };

export const loanCodeUrl = (base: string, id: string): string => base + loanCodeFormPath(id);

function view(c: LoanCode, base: string) {
  return {
    id: c.id,
    bankId: c.bankId,
    branch: c.branch,
    region: c.region,
    label: c.label,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    url: loanCodeUrl(base, c.id),
    qrPngUrl: `${base}/v1/loan-codes/${c.id}/qr.png`,
    qrSvgUrl: `${base}/v1/loan-codes/${c.id}/qr.svg`,
  };
}

export function loanCodesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  /** The caller bank's own code; another bank's (or none) is 404, as for every object one may not see. */
  async function ownCode(req: Request, res: Parameters<typeof ownBank>[1]): Promise<LoanCode> {
    const bankId = ownBank(req, res, prisma);
    const { id } = parseParams(loanCodeParams, req);
    const code = await prisma.loanCode.findUnique({ where: { id } });
    if (!code || code.bankId !== bankId) notVisible(req, res, prisma, 'loan code', `loan code ${id} is not bank ${bankId}'s`);
    // A branch user manages its region's codes only, not the whole bank's.
    if (!inRegion(principalOf(res), code.region)) notVisible(req, res, prisma, 'loan code', `loan code ${id} is outside region ${principalOf(res).region}`);
    return code;
  }

  r.post('/', async (req, res) => {
    const bankId = ownBank(req, res, prisma);
    const p = principalOf(res);
    // Every field is optional: a bare POST (no body) creates a code for the whole bank.
    const body = req.body === undefined ? {} : parseBody(createLoanCodeBody, req);
    // A branch-scoped officer prints codes for their own region only (its requests must reach their inbox).
    if (p.region && body.region && body.region !== p.region) notYours(req, res, prisma, `region ${body.region} is not yours (${p.region})`);
    await respondIdempotently(prisma, req, res, async () => {
      const code = await prisma.loanCode.create({
        data: { id: newLoanCodeId(), bankId, label: body.label ?? '', branch: body.branch ?? p.branch ?? null, region: body.region ?? p.region ?? null },
      });
      return { status: 201, body: view(code, publicBase(deps, req)), location: `/v1/loan-codes/${code.id}` };
    });
  });

  r.get('/', async (req, res) => {
    const bankId = ownBank(req, res, prisma);
    const p = principalOf(res);
    const rows = await prisma.loanCode.findMany({
      where: { bankId, ...(p.region ? { region: p.region } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: 500,
    });
    const base = publicBase(deps, req);
    res.json({ items: rows.map((c) => view(c, base)) });
  });

  r.get('/:id/qr.png', async (req, res) => {
    const code = await ownCode(req, res);
    const png = await QRCode.toBuffer(loanCodeUrl(publicBase(deps, req), code.id), { ...QR_OPTIONS, type: 'png' });
    res.set('Cache-Control', 'private, max-age=300').type('image/png').send(png);
  });

  r.get('/:id/qr.svg', async (req, res) => {
    const code = await ownCode(req, res);
    const svg = await QRCode.toString(loanCodeUrl(publicBase(deps, req), code.id), { ...QR_OPTIONS, type: 'svg' });
    res.set('Cache-Control', 'private, max-age=300').type('image/svg+xml').send(svg);
  });

  r.post('/:id/deactivate', async (req, res) => {
    const code = await ownCode(req, res);
    await respondIdempotently(prisma, req, res, async () => {
      const updated = await prisma.loanCode.update({ where: { id: code.id }, data: { active: false } });
      return { status: 200, body: view(updated, publicBase(deps, req)) };
    });
  });

  return r;
}
