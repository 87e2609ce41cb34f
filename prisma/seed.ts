// Demo data for the embedded stack, so a new user can publish a request right away. Idempotent.
import type { PrismaClient } from '../generated/prisma/client';
import { hashSecret } from '../api/auth/apiKeys';
import { hashPassword } from '../api/auth/passwords';

export const DEMO_ENTERPRISE_ID = '00000000-0000-4000-8000-000000000001';

export const DEMO_BANKS = [
  { id: 'hecheng-rcb', name: '禾城农商银行 Hecheng Rural Commercial Bank', region: '330400', email: 'tasks@hecheng-rcb.example', mobile: '+8613800000001' },
  { id: 'jiaxing-bank', name: '嘉兴银行 Bank of Jiaxing', region: '330400', email: 'tasks@jiaxing-bank.example', mobile: '+8613800000002' },
  { id: 'suzhou-bank', name: '苏州银行 Bank of Suzhou', region: '320500', email: 'tasks@suzhou-bank.example', mobile: '+8613800000003' },
  { id: 'icbc-jiaxing', name: '工商银行嘉兴分行 ICBC Jiaxing', region: '330400', email: 'tasks@icbc-jx.example', mobile: '+8613800000004' },
];

type DemoPrincipal = {
  id: string;
  role: 'enterprise' | 'bank' | 'guaranteeInstitution' | 'supervisor' | 'admin';
  name: string;
  keyId: string;
  email?: string;
  password?: string;
  enterpriseId?: string;
  bankId?: string;
  guaranteeInstitutionId?: string;
};

/** A well-known dev secret: 43 URL-safe characters, as an API key's secret has. Dev data only. */
const devSecret = (label: string) =>
  `dev-only-${label}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .padEnd(43, 'x')
    .slice(0, 43);

/**
 * Demo users, one per role (and one per demo bank), with well-known API keys and passwords so a
 * new user can try every role at once. Seeded only into the embedded stack (or with SEED_DEMO=1):
 * never into a production database.
 */
export const DEMO_PRINCIPALS: DemoPrincipal[] = [
  {
    id: '00000000-0000-4000-9000-000000000001',
    role: 'admin',
    name: 'Platform admin',
    keyId: 'demoadmin001',
    email: 'admin@loanbridge.example',
    password: 'admin-demo-password',
  },
  {
    id: '00000000-0000-4000-9000-000000000002',
    role: 'supervisor',
    name: '嘉兴市金融办 supervisor',
    keyId: 'demosuperv01',
    email: 'supervisor@loanbridge.example',
    password: 'supervisor-demo-password',
  },
  {
    id: '00000000-0000-4000-9000-000000000003',
    role: 'enterprise',
    name: '王伟 (demo enterprise)',
    keyId: 'demoenterp01',
    email: 'finance@demo-machinery.example',
    password: 'enterprise-demo-password',
    enterpriseId: DEMO_ENTERPRISE_ID,
  },
  {
    id: '00000000-0000-4000-9000-000000000004',
    role: 'guaranteeInstitution',
    name: 'Jiaxing guarantee fund reviewer',
    keyId: 'demoguaran01',
    email: 'review@jx-fund.example',
    password: 'guarantor-demo-password',
    guaranteeInstitutionId: 'jiaxing-guarantee-fund',
  },
  ...DEMO_BANKS.map((b, i) => ({
    id: `00000000-0000-4000-9000-0000000001${String(i).padStart(2, '0')}`,
    role: 'bank' as const,
    name: `${b.id} loan officer`,
    keyId: `demobank${String(i).padStart(4, '0')}`,
    email: `officer@${b.id}.example`,
    password: 'bank-demo-password',
    bankId: b.id,
  })),
];

/** The demo principals' API keys: `admin`, `supervisor`, `enterprise`, `guaranteeInstitution`, `bank:<bankId>`. */
export const DEMO_KEYS: Record<string, string> = Object.fromEntries(
  DEMO_PRINCIPALS.map((p) => [p.role === 'bank' ? `bank:${p.bankId}` : p.role, `lb_${p.keyId}_${devSecret(p.keyId)}`]),
);

export async function seedDemoPrincipals(prisma: PrismaClient): Promise<void> {
  for (const p of DEMO_PRINCIPALS) {
    if (await prisma.principal.count({ where: { id: p.id } })) continue;
    await prisma.principal.create({
      data: {
        id: p.id,
        role: p.role,
        name: p.name,
        email: p.email ?? null,
        passwordHash: p.password ? await hashPassword(p.password) : null,
        enterpriseId: p.enterpriseId ?? null,
        bankId: p.bankId ?? null,
        guaranteeInstitutionId: p.guaranteeInstitutionId ?? null,
      },
    });
    await prisma.apiKey.create({ data: { id: p.keyId, principalId: p.id, name: 'demo', secretHash: hashSecret(devSecret(p.keyId)) } });
  }
}

export async function seedDemoData(prisma: PrismaClient): Promise<void> {
  for (const b of DEMO_BANKS) await prisma.bank.upsert({ where: { id: b.id }, update: {}, create: b });
  await prisma.guaranteeInstitution.upsert({
    where: { id: 'jiaxing-guarantee-fund' },
    update: {},
    create: { id: 'jiaxing-guarantee-fund', name: '嘉兴市融资担保基金 Jiaxing Credit Guarantee Fund', isFund: true, email: 'review@jx-fund.example' },
  });
  await prisma.enterprise.upsert({
    where: { id: DEMO_ENTERPRISE_ID },
    update: {},
    create: {
      id: DEMO_ENTERPRISE_ID,
      creditCode: '91330400MA2B3C4D56',
      name: '嘉兴示例精密机械有限公司 Jiaxing Demo Precision Machinery Co.',
      contactName: '王伟',
      contactMobile: '+8613900000001',
      email: 'finance@demo-machinery.example',
      industry: 'C',
      region: '330400',
      registeredCapitalFen: 500_000_000n,
    },
  });
  await seedDemoPrincipals(prisma);
  await seedDemoProducts(prisma);
}

const WAN = 1_000_000n; // fen per 万元 (CNY 10,000)

/**
 * One broad credit-supermarket product per demo bank, so open-pool requests find eligible banks
 * (activities/lifecycle.ts listEligibleBanks) and the supermarket is not empty. Fixed ids, idempotent.
 */
export const DEMO_PRODUCTS = [
  { bankId: 'hecheng-rcb', name: '禾城农商银行 流动资金贷款 Working-capital loan', minAnnualRateBp: 435, maxAnnualRateBp: 800 },
  { bankId: 'jiaxing-bank', name: '嘉兴银行 科创贷 Tech-enterprise loan', minAnnualRateBp: 395, maxAnnualRateBp: 650 },
  { bankId: 'suzhou-bank', name: '苏州银行 小微快贷 Micro-business quick loan', minAnnualRateBp: 420, maxAnnualRateBp: 700 },
  { bankId: 'icbc-jiaxing', name: '工商银行 经营快贷 Business quick loan', minAnnualRateBp: 345, maxAnnualRateBp: 600 },
].map((p, i) => ({ ...p, id: `00000000-0000-4000-b000-${String(i + 1).padStart(12, '0')}` }));

export async function seedDemoProducts(prisma: PrismaClient): Promise<void> {
  for (const p of DEMO_PRODUCTS) {
    await prisma.product.upsert({
      where: { id: p.id },
      update: {},
      create: {
        ...p,
        description: 'Demo product: open to every industry, region and guarantee method.',
        minAmountFen: 1n * WAN,
        maxAmountFen: 5000n * WAN,
        minTermMonths: 1,
        maxTermMonths: 60,
        guaranteeMethods: [],
      },
    });
  }
}
