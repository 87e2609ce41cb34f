// Smart matching for banks (智能匹配): when a product goes active, find the open financing needs it
// fits, record them as ProductMatch rows (the bank's inbox lists them) and tell the bank once.
// Idempotent: match rows are keyed by (product, request), outbox rows by the run's event key.
import type { PrismaClient } from '../generated/prisma/client';
import { checkEligibility, fitParts, fitScore } from '../domain/matching';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';
import type { RecordResult } from './types';
import { enterpriseProfiles, OPEN_NEED_STAGES, productRules } from '../queries/catalogue';

/** Requests scanned per matching activity, so one product over a large pool stays within the activity timeout. */
export const MATCHING_PAGE_SIZE = 500;

export interface MatchPageInput {
  productId: string;
  /** Requests are scanned in id order; the page starts after this id. */
  afterRequestId?: string;
  pageSize?: number;
}

export interface MatchPageResult {
  /** Requests in this page the product fits, and how many of those were new ProductMatch rows. */
  matched: number;
  inserted: number;
  /** Where the next page starts; absent when the scan is done (or the product is no longer active). */
  nextAfterRequestId?: string;
}

export interface ProductActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  notifications?: PlanningDeps;
}

export function createProductActivities({ prisma, now = () => new Date(), notifications }: ProductActivityDeps) {
  return {
    /**
     * One page of open needs checked against the product. Only needs open to any bank are mined —
     * pool requests, and directed ones once they fell back to the pool (poolClosesAt set) — never a
     * request still sent point-to-point to other banks (a bank sees only requests directed to it or
     * in the pool); nor one the bank already holds a claim on.
     */
    async matchProductPage(i: MatchPageInput): Promise<MatchPageResult> {
      const product = await prisma.product.findUnique({ where: { id: i.productId }, include: { bank: { select: { active: true } } } });
      // Suspended or retired since the run started: nothing to match.
      if (!product || product.status !== 'active' || !product.bank.active) return { matched: 0, inserted: 0 };
      const take = i.pageSize ?? MATCHING_PAGE_SIZE;
      const requests = await prisma.financingRequest.findMany({
        where: {
          stage: { in: [...OPEN_NEED_STAGES] },
          OR: [{ routing: 'pool' }, { poolClosesAt: { not: null } }],
          claims: { none: { bankId: product.bankId } },
          ...(i.afterRequestId ? { id: { gt: i.afterRequestId } } : {}),
        },
        orderBy: { id: 'asc' },
        take,
        select: { id: true, enterpriseId: true, amountFen: true, termMonths: true, guaranteeMethod: true },
      });
      const rules = productRules(product);
      const profiles = await enterpriseProfiles(
        prisma,
        requests.map((r) => r.enterpriseId),
      );
      const rows = requests.flatMap((r) => {
        const profile = profiles.get(r.enterpriseId);
        if (!profile) return [];
        const need = { amountFen: Number(r.amountFen), termMonths: r.termMonths, guaranteeMethod: r.guaranteeMethod };
        const e = checkEligibility(rules, profile, need);
        if (!e.fit) return [];
        return [
          {
            productId: product.id,
            financingRequestId: r.id,
            bankId: product.bankId,
            enterpriseId: r.enterpriseId,
            score: Math.round(fitScore(fitParts(rules, profile, need))),
            reasons: e.met.map((c) => c.reason),
          },
        ];
      });
      const { count } = rows.length > 0 ? await prisma.productMatch.createMany({ data: rows, skipDuplicates: true }) : { count: 0 };
      return { matched: rows.length, inserted: count, ...(requests.length === take ? { nextAfterRequestId: requests.at(-1)!.id } : {}) };
    },

    /**
     * Tells the bank how many open needs its product matches (one message per run, not one per
     * request). Same transaction pattern as the lifecycle: outbox ids derive from the run's key,
     * so a retry writes nothing twice and answers the rows the first attempt wrote.
     */
    async notifyProductMatches(i: { productId: string; runKey: string }): Promise<RecordResult> {
      return prisma.$transaction(async (tx) => {
        const product = await tx.product.findUnique({ where: { id: i.productId }, select: { bankId: true, name: true } });
        const matched = product ? await tx.productMatch.findMany({ where: { productId: i.productId }, select: { financingRequestId: true } }) : [];
        const count = await tx.financingRequest.count({
          where: { id: { in: matched.map((m) => m.financingRequestId) }, stage: { in: [...OPEN_NEED_STAGES] } },
        });
        const notify: NotificationRequest[] =
          product && count > 0
            ? [
                {
                  templateId: 'productMatchesFound',
                  recipient: { type: 'bank', id: product.bankId },
                  params: { productName: product.name, count, bankId: product.bankId },
                },
              ]
            : [];
        const event = { eventKey: `productMatching:${i.productId}:${i.runKey}`, financingRequestId: null, notify, now: now() };
        const { notificationIds } = await recordEvent(tx, event, notifications);
        return { notificationIds };
      });
    },
  };
}

export type ProductActivities = ReturnType<typeof createProductActivities>;
