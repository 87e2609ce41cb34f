// The credit-data sources the portrait draws on. One name per government/bureau API; the
// simulator serves one route family per name and each has its own typed client. Pure.

export const SOURCE_NAMES = [
  'marketRegulation', // 市场监管: registration, legal representative, shareholders, capital, industry, status
  'tax', // 税务: tax credit grade (纳税信用等级) and monthly taxes paid
  'utilities', // 水电: monthly electricity and water usage (one source: the same utility data exchange)
  'socialSecurity', // 人社: insured employees per month
  'courts', // 法院: lawsuits, enforcement cases, dishonest-debtor list (失信被执行人)
  'administrative', // 行政许可/处罚, red and black lists (红黑名单)
  'creditBureau', // 征信: loans outstanding, overdue history, mortgages
  'honours', // 荣誉: high-tech enterprise, specialised-and-innovative (专精特新), ...
] as const;

export type SourceName = (typeof SOURCE_NAMES)[number];

export function isSourceName(value: string): value is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(value);
}
