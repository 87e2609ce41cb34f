import { describe, expect, it } from 'vitest';
import { TEMPLATES, TEMPLATE_IDS } from '../../../notifications/templates';
import { missingParams, placeholders, render } from '../../../notifications/render';
import { CHANNELS, LOCALES } from '../../../notifications/types';
import { ALICLOUD_TEMPLATE_CODES } from '../../../notifications/config';

describe('templates', () => {
  it('declare every placeholder they use, in every locale', () => {
    for (const id of TEMPLATE_IDS) {
      const def = TEMPLATES[id];
      for (const locale of LOCALES) {
        const t = def.text[locale];
        for (const p of [...placeholders(t.title), ...placeholders(t.body), ...placeholders(t.sms ?? '')]) {
          expect(def.params, `${id}/${locale} uses {{${p}}}`).toContain(p);
        }
      }
      expect(ALICLOUD_TEMPLATE_CODES[id]).toMatch(/^SMS_/);
    }
  });

  it('renders Chinese by default on every channel without leftover placeholders', () => {
    for (const id of TEMPLATE_IDS) {
      const params = Object.fromEntries(TEMPLATES[id].params.map((p) => [p, `v_${p}`]));
      for (const ch of CHANNELS) {
        const m = render(id, ch, params);
        expect(m.locale).toBe('zh-CN');
        expect(m.text).not.toMatch(/\{\{|—/);
        expect(m.title).not.toMatch(/\{\{/);
      }
    }
  });

  it('renders a directed request prompt in Chinese and English', () => {
    const params = { enterpriseName: '嘉兴禾城机械有限公司', amountWan: 300, termMonths: 12, deadline: '2026-11-25 17:00', requestRef: 'FR-1' };
    const sms = render('newDirectedRequest', 'sms', params);
    expect(sms.text).toBe('【贷桥】您有一项定向融资需求待办（编号FR-1），请于2026-11-25 17:00前处理。');
    const mail = render('newDirectedRequest', 'email', params, 'en');
    expect(mail.title).toBe('New directed financing request: 嘉兴禾城机械有限公司');
    expect(mail.text).toContain('300 × 10,000 CNY for 12 months');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('escapes HTML in e-mail and reports missing parameters', () => {
    const m = render('grabLost', 'email', { enterpriseName: '<script>x</script>', requestRef: null });
    expect(m.html).toContain('&lt;script&gt;');
    expect(m.html).not.toContain('<script>');
    expect(m.text).toContain('—');
    expect(missingParams('grabLost', { enterpriseName: 'a' })).toEqual(['requestRef']);
    expect(() => render('nope', 'sms', {})).toThrow(/unknown template/);
  });
});

describe('values from public forms', () => {
  it('cannot add lines or reorder text in a platform message (control and bidi characters become spaces)', () => {
    const enterpriseName = '某某公司\n【贷桥】您的账户异常，请点击\u202Ehttp://evil.example\u202C\u2066x\u2069';
    for (const channel of CHANNELS) {
      const m = render('newDirectedRequest', channel, { enterpriseName, amountWan: 100, termMonths: 12, deadline: '2026-12-02', requestRef: 'R1' }, 'zh-CN');
      // The SMS prompt names no enterprise (neutral 待办 wording); every other channel does.
      if (channel !== 'sms') expect(m.text, channel).toContain('某某公司');
      for (const part of [m.title, m.text]) expect(part, channel).not.toMatch(/[\u202a-\u202e\u2066-\u2069]|某某公司\n/);
    }
  });
});
