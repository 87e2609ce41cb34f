// The open credit supermarket (信贷超市, "无门槛"): anyone may browse the active products of active
// banks without signing in, with the tier filters and orders of the signed-in search; per-IP rate
// limited; no institution-internal field leaves (api/schemas/publicProducts.ts).
import { Router } from 'express';
import type { z } from 'zod';
import type { ApiDeps } from '../deps';
import { perIpLimit } from '../rateLimits';
import type { publicProductView } from '../schemas/publicProducts';
import { publicProductsQuery } from '../schemas/publicProducts';
import { parseQuery } from '../validate';
import { searchProducts } from './products';

type Found = Awaited<ReturnType<typeof searchProducts>>['rows'][number];

const publicView = (x: Found): z.infer<typeof publicProductView> => ({
  id: x.id,
  bankId: x.bankId,
  bankName: x.bank.name,
  name: x.name,
  description: x.description,
  minAmountFen: Number(x.minAmountFen),
  maxAmountFen: Number(x.maxAmountFen),
  minTermMonths: x.minTermMonths,
  maxTermMonths: x.maxTermMonths,
  minAnnualRateBp: x.minAnnualRateBp,
  maxAnnualRateBp: x.maxAnnualRateBp,
  guaranteeMethods: x.guaranteeMethods,
  industries: x.industries,
  regions: x.regions,
  firstLoanOnly: x.firstLoanOnly,
  requiredTags: x.requiredTags,
  policyProduct: x.policyProduct,
  apply: { signIn: '/v1/auth/sms-code', endpoint: `/v1/products/${x.id}/apply` },
});

export function publicProductsRouter(deps: ApiDeps): Router {
  const r = Router();
  // Browsing is cheap but public: three times the form budget per address.
  r.get('/v1/public/products', perIpLimit(deps.config.rateLimits, deps.config.rateLimits.publicPerIpPerMinute * 3), async (req, res) => {
    const q = parseQuery(publicProductsQuery, req);
    const { rows, total } = await searchProducts(deps.prisma, { status: 'active', bank: { active: true } }, { ...q, status: undefined });
    const nextOffset = q.offset + rows.length < total ? q.offset + rows.length : null;
    res.json({ items: rows.map(publicView), total, limit: q.limit, offset: q.offset, nextOffset });
  });
  return r;
}
