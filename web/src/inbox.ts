// The shapes of GET /v1/inbox per role (the OpenAPI document does not describe its body yet).
export interface InboxItem {
  id: string;
  enterpriseId: string;
  enterpriseName: string | null;
  industry: string | null;
  region: string | null;
  amountFen: number;
  termMonths: number;
  purpose: string;
  guaranteeMethod: string;
  routing: string;
  stage: string;
  createdAt: string;
  claim?: { origin: string; status: string; deadlineAt: string | null };
  poolClosesAt?: string;
  slotsLeft?: number;
  bankId?: string;
  guarantee?: { status: string; deadlineAt: string | null };
  offer?: { approvedAmountFen: number | null; annualRateBp: number | null; termMonths: number | null };
}

export interface BankInbox {
  role: 'bank';
  directed: InboxItem[];
  pool: InboxItem[];
  claims: InboxItem[];
  productMatches: InboxItem[];
}

export interface GuarantorInbox {
  role: 'guaranteeInstitution';
  guarantees: InboxItem[];
}
