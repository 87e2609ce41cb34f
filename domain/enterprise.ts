// Enterprise facts the platform validates: industry sections, policy tags, mobile numbers.

/** GB/T 4754-2017 national industry classification: the 20 sections (门类) A–T. */
export const INDUSTRY_SECTIONS = {
  A: 'Agriculture, forestry, animal husbandry and fishery 农林牧渔业',
  B: 'Mining 采矿业',
  C: 'Manufacturing 制造业',
  D: 'Electricity, heat, gas and water 电力热力燃气及水',
  E: 'Construction 建筑业',
  F: 'Wholesale and retail 批发和零售业',
  G: 'Transport, storage and post 交通运输仓储和邮政业',
  H: 'Accommodation and catering 住宿和餐饮业',
  I: 'Information transmission, software and IT services 信息传输软件和信息技术服务业',
  J: 'Finance 金融业',
  K: 'Real estate 房地产业',
  L: 'Leasing and business services 租赁和商务服务业',
  M: 'Scientific research and technical services 科学研究和技术服务业',
  N: 'Water, environment and public facilities 水利环境和公共设施管理业',
  O: 'Resident services and repair 居民服务修理和其他服务业',
  P: 'Education 教育',
  Q: 'Health and social work 卫生和社会工作',
  R: 'Culture, sports and entertainment 文化体育和娱乐业',
  S: 'Public administration and social organisations 公共管理社会保障和社会组织',
  T: 'International organisations 国际组织',
} as const;
export type IndustrySection = keyof typeof INDUSTRY_SECTIONS;
export const INDUSTRY_CODES = Object.keys(INDUSTRY_SECTIONS) as IndustrySection[];

/** Policy tags: precise push lists and product rules select enterprises by these. */
export const ENTERPRISE_TAGS = ['high_tech', 'specialised_innovative', 'tax_grade_a', 'agriculture_related', 'first_loan_candidate'] as const;
export type EnterpriseTag = (typeof ENTERPRISE_TAGS)[number];

/** E.164: + country code and subscriber number, at most 15 digits. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** Mainland China mobile numbers: +86, then 11 digits starting 13–19. */
export const CN_MOBILE = /^\+861[3-9]\d{9}$/;

/** A mobile number is E.164; a +86 one must also be a valid mainland mobile number. */
export function mobileProblem(mobile: string): string | undefined {
  if (!E164.test(mobile)) return 'an E.164 number: + country code and number, e.g. +8613912345678';
  if (mobile.startsWith('+86') && !CN_MOBILE.test(mobile)) return 'a +86 mobile number has 11 digits starting 13–19';
  return undefined;
}
