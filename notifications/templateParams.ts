// Fills the parameters the message templates need (enterprise and bank names, amount in 万元,
// rate, local deadline, a short request reference) from what the lifecycle passes (ids, fen,
// basis points, ISO instants). Workflows stay small and pass ids; this reads names once per event.
import type { PrismaClient } from '../generated/prisma/client';
import type { NotificationRequest, ParamValue } from './types';

type Db = Pick<PrismaClient, 'financingRequest' | 'bank'>;

const FEN_PER_WAN = 1_000_000;

/** 2026-11-24T06:42:18Z → "2026-11-24 14:42" (Asia/Shanghai, UTC+8 all year). */
export function shanghaiLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function amountWan(fen: number): string {
  return (fen / FEN_PER_WAN).toFixed(2).replace(/\.?0+$/, '');
}

export function requestRef(financingRequestId: string): string {
  return financingRequestId.slice(0, 8).toUpperCase();
}

export async function withTemplateParams(db: Db, financingRequestId: string | null, requests: NotificationRequest[]): Promise<NotificationRequest[]> {
  if (requests.length === 0) return requests;
  const request = financingRequestId
    ? await db.financingRequest.findUnique({
        where: { id: financingRequestId },
        select: { amountFen: true, termMonths: true, enterprise: { select: { name: true } } },
      })
    : null;
  const bankIds = new Set<string>();
  for (const n of requests) {
    if (typeof n.params.bankId === 'string') bankIds.add(n.params.bankId);
    if (n.recipient.type === 'bank') bankIds.add(n.recipient.id);
  }
  const banks = new Map((await db.bank.findMany({ where: { id: { in: [...bankIds] } }, select: { id: true, name: true } })).map((b) => [b.id, b.name]));
  return requests.map((n) => {
    const p = n.params;
    const bankId = typeof p.bankId === 'string' ? p.bankId : n.recipient.type === 'bank' ? n.recipient.id : undefined;
    const derived: Record<string, ParamValue | undefined> = {
      requestRef: financingRequestId ? requestRef(financingRequestId) : undefined,
      enterpriseName: request?.enterprise.name,
      termMonths: request?.termMonths,
      amountWan: typeof p.amountFen === 'number' ? amountWan(p.amountFen) : request ? amountWan(Number(request.amountFen)) : undefined,
      bankName: bankId ? (banks.get(bankId) ?? bankId) : undefined,
      annualRate: typeof p.annualRateBp === 'number' ? `${(p.annualRateBp / 100).toFixed(2)}%` : undefined,
      deadline: typeof p.deadlineAt === 'string' ? shanghaiLocal(p.deadlineAt) : undefined,
    };
    const filled: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries(derived)) if (v !== undefined) filled[k] = v;
    return { ...n, params: { ...filled, ...p } };
  });
}
