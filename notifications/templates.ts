// Message templates: a template id plus parameters, rendered per channel and locale by render.ts.
// Pure data (workflow code imports TEMPLATE_IDS). Placeholders are {{name}}; every placeholder is
// declared in `params` (a unit test checks it), which is the contract with the lifecycle.
// The zh-CN `sms` texts are what gets submitted for carrier/provider template approval, so they
// are short and neutral: prompts that ask an institution to act say "待办" with the request's
// reference and no names or amounts. `taskLink` templates get the task's short link appended by
// render.ts (one link, docs/notifications.md).
import type { Locale, RecipientType } from './types';

export const TEMPLATE_IDS = [
  // banks and guarantee institutions
  'newDirectedRequest',
  'poolRequestMatchesProducts',
  'grabWon',
  'grabLost',
  'deadlineReminder',
  'claimExpired',
  'supervisorNudge',
  'deadlineExtended',
  'claimReleased',
  'offerChosen',
  'offerNotChosen',
  'guaranteeRequested',
  'disbursementRecorded',
  'riskWarning',
  'productMatchesFound',
  'pushListReceived',
  // enterprises
  'pleaseRate',
  'requestAccepted',
  'requestApproved',
  'requestDisbursed',
  'requestExpired',
  'verificationCode',
  // supervisors
  'escalation',
  'periodicReport',
  // produced by batching, never requested by the lifecycle: several pool prompts in one message
  'poolDigest',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export function isTemplateId(s: string): s is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(s);
}

export interface LocalizedText {
  /** E-mail subject, inbox title, webhook `title`. */
  title: string;
  /** E-mail body, inbox body, webhook `text`. */
  body: string;
  /** SMS text when it differs from body (shorter). */
  sms?: string;
}

export interface TemplateDefinition {
  audience: readonly RecipientType[];
  /** The prompt asks the recipient to act: it carries the short link to the task (params.link). */
  taskLink?: true;
  params: readonly string[];
  text: Record<Locale, LocalizedText>;
}

const REQ = 'requestRef';

export const TEMPLATES: Record<TemplateId, TemplateDefinition> = {
  newDirectedRequest: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', 'amountWan', 'termMonths', 'deadline', REQ],
    text: {
      'zh-CN': {
        title: '新的定向融资需求：{{enterpriseName}}',
        body: '{{enterpriseName}}向贵机构定向发布了融资需求：金额{{amountWan}}万元，期限{{termMonths}}个月（需求编号{{requestRef}}）。请于{{deadline}}前登录平台受理或拒绝，逾期将视为未受理。',
        sms: '您有一项定向融资需求待办（编号{{requestRef}}），请于{{deadline}}前处理。',
      },
      en: {
        title: 'New directed financing request: {{enterpriseName}}',
        body: '{{enterpriseName}} sent your institution a directed financing request: {{amountWan}} × 10,000 CNY for {{termMonths}} months (request {{requestRef}}). Please accept or reject it on the platform by {{deadline}}.',
        sms: '{{enterpriseName}} sent you a financing request ({{amountWan}} × 10,000 CNY, ref {{requestRef}}). Please respond by {{deadline}}.',
      },
    },
  },
  poolRequestMatchesProducts: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', 'amountWan', 'termMonths', 'productName', REQ],
    text: {
      'zh-CN': {
        title: '抢单提醒：{{enterpriseName}}的需求匹配贵机构产品',
        body: '{{enterpriseName}}发布了融资需求：金额{{amountWan}}万元，期限{{termMonths}}个月（需求编号{{requestRef}}），与贵机构产品“{{productName}}”匹配。前3家抢单成功的机构获得对接资格，请尽快登录平台抢单。',
        sms: '您有一项融资需求待办（编号{{requestRef}}），请及时查看处理。',
      },
      en: {
        title: 'Open request matches your product: {{enterpriseName}}',
        body: '{{enterpriseName}} published a financing request of {{amountWan}} × 10,000 CNY for {{termMonths}} months (request {{requestRef}}) that matches your product "{{productName}}". The first three institutions to grab it may connect.',
        sms: 'Open request {{requestRef}} from {{enterpriseName}} ({{amountWan}} × 10,000 CNY) matches your product. First 3 grabs win.',
      },
    },
  },
  grabWon: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', 'deadline', REQ],
    text: {
      'zh-CN': {
        title: '抢单成功：{{enterpriseName}}',
        body: '贵机构已获得{{enterpriseName}}融资需求（编号{{requestRef}}）的对接资格。请于{{deadline}}前完成评估与审批，逾期将自动取消。',
        sms: '您有一项融资需求待办（编号{{requestRef}}），请于{{deadline}}前完成审批。',
      },
      en: {
        title: 'Grab won: {{enterpriseName}}',
        body: 'Your institution won the right to connect with {{enterpriseName}} on request {{requestRef}}. Finish assessment and approval by {{deadline}}, otherwise the claim is cancelled automatically.',
      },
    },
  },
  grabLost: {
    audience: ['bank'],
    params: ['enterpriseName', REQ],
    text: {
      'zh-CN': {
        title: '抢单未成功：{{enterpriseName}}',
        body: '{{enterpriseName}}的融资需求（编号{{requestRef}}）已由其他机构抢单满额，感谢参与。',
      },
      en: { title: 'Grab not successful: {{enterpriseName}}', body: 'Request {{requestRef}} from {{enterpriseName}} was fully claimed by other institutions.' },
    },
  },
  deadlineReminder: {
    taskLink: true,
    audience: ['bank', 'guaranteeInstitution'],
    params: ['enterpriseName', 'step', 'deadline', REQ],
    text: {
      'zh-CN': {
        title: '办理时限提醒：{{enterpriseName}}',
        body: '{{enterpriseName}}融资需求（编号{{requestRef}}）的“{{step}}”将于{{deadline}}到期，逾期将自动取消对接，请尽快办理。',
        sms: '您有一项待办（编号{{requestRef}}）将于{{deadline}}到期，请及时处理。',
      },
      en: {
        title: 'Deadline reminder: {{enterpriseName}}',
        body: 'The step "{{step}}" of request {{requestRef}} ({{enterpriseName}}) is due by {{deadline}}; after that the claim is cancelled automatically.',
      },
    },
  },
  claimExpired: {
    audience: ['bank', 'guaranteeInstitution'],
    params: ['enterpriseName', REQ],
    text: {
      'zh-CN': {
        title: '对接已超时取消：{{enterpriseName}}',
        body: '贵机构未在规定时限内办理{{enterpriseName}}的融资需求（编号{{requestRef}}），对接资格已自动取消，并计入线上办理考核。',
      },
      en: {
        title: 'Claim expired: {{enterpriseName}}',
        body: 'Your claim on request {{requestRef}} ({{enterpriseName}}) was cancelled because the deadline passed.',
      },
    },
  },
  supervisorNudge: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', 'note', REQ],
    text: {
      'zh-CN': {
        title: '督办提醒：{{enterpriseName}}的融资需求',
        body: '监管部门提醒贵机构尽快办理{{enterpriseName}}的融资需求（编号{{requestRef}}）。{{note}}',
        sms: '您有一项融资需求待办（编号{{requestRef}}），请及时处理。',
      },
      en: {
        title: 'Supervisor reminder: {{enterpriseName}}',
        body: 'The supervisor asks your institution to proceed with request {{requestRef}} from {{enterpriseName}} without delay. {{note}}',
      },
    },
  },
  deadlineExtended: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', 'deadline', 'reason', REQ],
    text: {
      'zh-CN': {
        title: '办理时限已延长：{{enterpriseName}}',
        body: '监管部门已将{{enterpriseName}}融资需求（编号{{requestRef}}）当前环节的办理时限延长至{{deadline}}。原因：{{reason}}',
        sms: '您的待办（编号{{requestRef}}）办理时限已延长至{{deadline}}，请按时处理。',
      },
      en: {
        title: 'Deadline extended: {{enterpriseName}}',
        body: 'The supervisor extended the deadline of the current step of request {{requestRef}} ({{enterpriseName}}) to {{deadline}}. Reason: {{reason}}',
      },
    },
  },
  claimReleased: {
    audience: ['bank'],
    params: ['enterpriseName', 'reason', REQ],
    text: {
      'zh-CN': {
        title: '对接资格已被收回：{{enterpriseName}}',
        body: '监管部门已收回贵机构对{{enterpriseName}}融资需求（编号{{requestRef}}）的对接资格，并计入线上办理考核。原因：{{reason}}',
        sms: '监管部门已收回贵机构对需求{{requestRef}}的对接资格。',
      },
      en: {
        title: 'Claim released: {{enterpriseName}}',
        body: 'The supervisor released your claim on request {{requestRef}} ({{enterpriseName}}). Reason: {{reason}}',
      },
    },
  },
  offerChosen: {
    taskLink: true,
    audience: ['bank'],
    params: ['enterpriseName', REQ],
    text: {
      'zh-CN': {
        title: '企业已选择贵机构方案：{{enterpriseName}}',
        body: '{{enterpriseName}}已选择贵机构的融资方案（需求编号{{requestRef}}），请尽快办理签约与放款，并在平台登记放款信息。',
        sms: '您有一项放款登记待办（编号{{requestRef}}），请及时处理。',
      },
      en: {
        title: 'Your offer was chosen: {{enterpriseName}}',
        body: '{{enterpriseName}} chose your offer on request {{requestRef}}. Please proceed to contract and disbursement and record it on the platform.',
      },
    },
  },
  offerNotChosen: {
    audience: ['bank'],
    params: ['enterpriseName', REQ],
    text: {
      'zh-CN': {
        title: '企业未选择贵机构方案：{{enterpriseName}}',
        body: '{{enterpriseName}}已选择其他机构的方案（需求编号{{requestRef}}），感谢贵机构的服务。',
      },
      en: { title: 'Offer not chosen: {{enterpriseName}}', body: '{{enterpriseName}} chose another offer on request {{requestRef}}.' },
    },
  },
  guaranteeRequested: {
    taskLink: true,
    audience: ['guaranteeInstitution'],
    params: ['bankName', 'enterpriseName', 'amountWan', 'deadline', REQ],
    text: {
      'zh-CN': {
        title: '担保申请：{{enterpriseName}}',
        body: '{{bankName}}为{{enterpriseName}}的{{amountWan}}万元贷款（需求编号{{requestRef}}）申请担保，请于{{deadline}}前登录平台审批。',
        sms: '您有一项担保审批待办（编号{{requestRef}}），请于{{deadline}}前处理。',
      },
      en: {
        title: 'Guarantee requested: {{enterpriseName}}',
        body: '{{bankName}} requests a guarantee for a {{amountWan}} × 10,000 CNY loan to {{enterpriseName}} (request {{requestRef}}). Please decide by {{deadline}}.',
      },
    },
  },
  disbursementRecorded: {
    audience: ['bank', 'guaranteeInstitution', 'supervisor'],
    params: ['bankName', 'enterpriseName', 'amountWan', REQ],
    text: {
      'zh-CN': { title: '放款已登记：{{enterpriseName}}', body: '{{bankName}}已向{{enterpriseName}}放款{{amountWan}}万元（需求编号{{requestRef}}）。' },
      en: {
        title: 'Disbursement recorded: {{enterpriseName}}',
        body: '{{bankName}} disbursed {{amountWan}} × 10,000 CNY to {{enterpriseName}} (request {{requestRef}}).',
      },
    },
  },
  pleaseRate: {
    audience: ['enterprise'],
    params: ['bankName', REQ],
    text: {
      'zh-CN': {
        title: '请为{{bankName}}的服务评价',
        body: '您的融资需求（编号{{requestRef}}）已完成放款。请登录平台从满足需求、融资成本、办理速度、沟通服务四个方面为{{bankName}}评价。',
        sms: '您的融资需求{{requestRef}}已放款，请登录平台为{{bankName}}的服务评价。',
      },
      en: {
        title: 'Please rate {{bankName}}',
        body: 'Your request {{requestRef}} has been disbursed. Please rate the service of {{bankName}} on the platform.',
      },
    },
  },
  requestAccepted: {
    audience: ['enterprise'],
    params: ['bankName', REQ],
    text: {
      'zh-CN': { title: '{{bankName}}已受理您的融资需求', body: '{{bankName}}已受理您的融资需求（编号{{requestRef}}），将与您联系并开展审核。' },
      en: {
        title: '{{bankName}} accepted your request',
        body: '{{bankName}} accepted your financing request {{requestRef}} and will contact you for the review.',
      },
    },
  },
  requestApproved: {
    audience: ['enterprise'],
    params: ['bankName', 'amountWan', 'annualRate', REQ],
    text: {
      'zh-CN': {
        title: '{{bankName}}已审批通过您的融资需求',
        body: '{{bankName}}已审批通过您的融资需求（编号{{requestRef}}）：额度{{amountWan}}万元，年利率{{annualRate}}%。请登录平台查看并确认方案。',
      },
      en: {
        title: '{{bankName}} approved your request',
        body: '{{bankName}} approved your request {{requestRef}}: {{amountWan}} × 10,000 CNY at {{annualRate}} % a year. Please review the offer on the platform.',
      },
    },
  },
  requestDisbursed: {
    audience: ['enterprise'],
    params: ['bankName', 'amountWan', REQ],
    text: {
      'zh-CN': { title: '贷款已发放', body: '{{bankName}}已向您发放贷款{{amountWan}}万元（需求编号{{requestRef}}）。' },
      en: { title: 'Loan disbursed', body: '{{bankName}} disbursed {{amountWan}} × 10,000 CNY to you (request {{requestRef}}).' },
    },
  },
  requestExpired: {
    audience: ['enterprise'],
    params: [REQ],
    text: {
      'zh-CN': { title: '融资需求已到期关闭', body: '您的融资需求（编号{{requestRef}}）在有效期内未能完成对接，已自动关闭。您可以调整后重新发布。' },
      en: { title: 'Request expired', body: 'Your financing request {{requestRef}} was closed because it was not matched in time. You may publish it again.' },
    },
  },
  verificationCode: {
    audience: ['enterprise'],
    params: ['code', 'minutes'],
    text: {
      'zh-CN': {
        title: '验证码',
        body: '您的验证码为{{code}}，{{minutes}}分钟内有效。请勿告诉他人；平台和银行工作人员不会向您索取验证码。',
        sms: '验证码{{code}}，{{minutes}}分钟内有效。请勿告诉他人，工作人员不会索取。',
      },
      en: {
        title: 'Verification code',
        body: 'Your verification code is {{code}}, valid for {{minutes}} minutes. Do not share it: platform and bank staff never ask for it.',
        sms: 'Code {{code}}, valid {{minutes}} min. Do not share it.',
      },
    },
  },
  riskWarning: {
    audience: ['bank'],
    params: ['enterpriseName', 'levelLabel', 'summary', REQ],
    text: {
      'zh-CN': {
        title: '{{levelLabel}}风险预警：{{enterpriseName}}',
        body: '贵机构正在对接的{{enterpriseName}}（融资需求编号{{requestRef}}）出现新的风险信息：{{summary}}。请及时关注并评估。',
        sms: '【风险预警】{{enterpriseName}}：{{summary}}（需求{{requestRef}}）',
      },
      en: {
        title: '{{levelLabel}} risk warning: {{enterpriseName}}',
        body: 'New risk information on {{enterpriseName}} (request {{requestRef}}), whose request your bank is handling: {{summary}}.',
      },
    },
  },
  pushListReceived: {
    audience: ['bank'],
    params: ['listName', 'count', 'supervisorName'],
    text: {
      'zh-CN': {
        title: '精准推送：{{listName}}（{{count}}家企业）',
        body: '{{supervisorName}}向贵机构推送了政策支持企业名单“{{listName}}”，共{{count}}家企业，请登录平台在“精准推送”中查看并反馈对接情况。',
        sms: '{{supervisorName}}向贵机构推送企业名单“{{listName}}”（{{count}}家），请登录平台对接并反馈。',
      },
      en: {
        title: 'Precise push: {{listName}} ({{count}} enterprises)',
        body: '{{supervisorName}} pushed the policy-supported list "{{listName}}" ({{count}} enterprises) to your institution. See it under precise push and record what you did.',
      },
    },
  },
  productMatchesFound: {
    audience: ['bank'],
    params: ['productName', 'count'],
    text: {
      'zh-CN': {
        title: '产品匹配：{{count}}笔融资需求符合“{{productName}}”',
        body: '贵机构产品“{{productName}}”与平台上{{count}}笔在途融资需求匹配，请登录平台在待办事项的“产品匹配”中查看。',
        sms: '贵机构产品“{{productName}}”匹配到{{count}}笔在途融资需求，请登录平台查看。',
      },
      en: {
        title: '{{count}} financing requests match "{{productName}}"',
        body: 'Your product "{{productName}}" matches {{count}} open financing requests on the platform. See them under product matches in your inbox.',
      },
    },
  },
  escalation: {
    audience: ['supervisor'],
    params: ['bankName', 'enterpriseName', 'overdueDays', REQ],
    text: {
      'zh-CN': {
        title: '督办提醒：{{bankName}}超时未办理',
        body: '{{bankName}}对{{enterpriseName}}的融资需求（编号{{requestRef}}）已超时{{overdueDays}}天未办理，请督办。',
      },
      en: {
        title: 'Escalation: {{bankName}} overdue',
        body: '{{bankName}} is {{overdueDays}} days overdue on request {{requestRef}} from {{enterpriseName}}.',
      },
    },
  },
  periodicReport: {
    audience: ['supervisor'],
    params: ['period', 'summary'],
    text: {
      'zh-CN': { title: '平台运行报告（{{period}}）', body: '{{period}}平台运行情况：\n{{summary}}' },
      en: { title: 'Platform report ({{period}})', body: 'Platform figures for {{period}}:\n{{summary}}' },
    },
  },
  poolDigest: {
    taskLink: true,
    audience: ['bank'],
    params: ['count', 'items'],
    text: {
      'zh-CN': {
        title: '抢单提醒汇总：{{count}}笔新需求匹配贵机构产品',
        body: '以下{{count}}笔融资需求与贵机构产品匹配，前3家抢单成功的机构获得对接资格：\n{{items}}',
        sms: '您有{{count}}项融资需求待办，请及时查看处理。',
      },
      en: {
        title: '{{count}} open requests match your products',
        body: '{{count}} financing requests match your products; the first three institutions to grab each may connect:\n{{items}}',
        sms: '{{count}} open requests match your products. Log in to grab them.',
      },
    },
  },
};
