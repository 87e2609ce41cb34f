// The institution directories: what an enterprise choosing directed banks (and a bank choosing a
// guarantor) needs — names, regions served, products — and never staff or contact data. Only
// active institutions: a suspended one leaves the directory at once.
import { Router } from 'express';
import { inRegions, regionPrefix } from '../../domain/matching';
import type { ApiDeps } from '../deps';
import { directoryQuery } from '../schemas/institutions';
import { parseQuery } from '../validate';

/** Whether an institution registered in `home` serving `regions` serves `region` (empty list = its home). */
export function serves(home: string | null, regions: readonly string[], region: string): boolean {
  const served = regions.length ? regions : home ? [home] : [];
  return served.length === 0 || inRegions(region, served) || served.some((r) => r.startsWith(regionPrefix(region)));
}

export function directoryRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  r.get('/banks', async (req, res) => {
    const q = parseQuery(directoryQuery, req);
    const banks = await prisma.bank.findMany({
      where: { active: true },
      orderBy: { id: 'asc' },
      include: { products: { where: { status: 'active' }, orderBy: { createdAt: 'asc' } } },
    });
    res.json({
      items: banks
        .filter((b) => !q.region || serves(b.region, b.regions, q.region))
        .map((b) => ({
          id: b.id,
          name: b.name,
          nameEn: b.nameEn,
          kind: b.kind,
          parentBankId: b.parentBankId,
          region: b.region,
          regions: b.regions,
          products: b.products.map((p) => ({
            id: p.id,
            name: p.name,
            minAmountFen: Number(p.minAmountFen),
            maxAmountFen: Number(p.maxAmountFen),
            minTermMonths: p.minTermMonths,
            maxTermMonths: p.maxTermMonths,
            minAnnualRateBp: p.minAnnualRateBp,
            maxAnnualRateBp: p.maxAnnualRateBp,
            guaranteeMethods: p.guaranteeMethods,
          })),
        })),
    });
  });

  r.get('/guarantee-institutions', async (req, res) => {
    const q = parseQuery(directoryQuery, req);
    const rows = await prisma.guaranteeInstitution.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
    res.json({
      items: rows
        .filter((g) => !q.region || serves(g.region, g.regions, q.region))
        .map((g) => ({ id: g.id, name: g.name, nameEn: g.nameEn, regions: g.regions, isFund: g.isFund, feeRateBp: g.feeRateBp })),
    });
  });
  return r;
}
