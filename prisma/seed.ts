// Demo data for the embedded stack, so a new user can publish a request right away. Idempotent.
import type { PrismaClient } from '../generated/prisma/client';

export const DEMO_ENTERPRISE_ID = '00000000-0000-4000-8000-000000000001';

export const DEMO_BANKS = [
  { id: 'hecheng-rcb', name: '禾城农商银行 Hecheng Rural Commercial Bank', region: '330400', email: 'tasks@hecheng-rcb.example', mobile: '+8613800000001' },
  { id: 'jiaxing-bank', name: '嘉兴银行 Bank of Jiaxing', region: '330400', email: 'tasks@jiaxing-bank.example', mobile: '+8613800000002' },
  { id: 'suzhou-bank', name: '苏州银行 Bank of Suzhou', region: '320500', email: 'tasks@suzhou-bank.example', mobile: '+8613800000003' },
  { id: 'icbc-jiaxing', name: '工商银行嘉兴分行 ICBC Jiaxing', region: '330400', email: 'tasks@icbc-jx.example', mobile: '+8613800000004' },
];

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
}
