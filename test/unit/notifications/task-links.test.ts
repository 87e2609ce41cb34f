// Short task links in prompts: the code round-trips to the request id, names nothing else, and
// every prompt that asks an institution to act carries exactly one link, last in its SMS.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { render } from '../../../notifications/render';
import { requestIdOfTaskCode, taskCode, taskLink } from '../../../notifications/taskLinks';
import { TEMPLATES, TEMPLATE_IDS } from '../../../notifications/templates';

const BASE = 'https://dq.example.cn';

describe('task links', () => {
  it('shorten a request id to 22 URL-safe characters and back', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      const code = taskCode(id);
      expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(requestIdOfTaskCode(code)).toBe(id);
    }
    expect(requestIdOfTaskCode('todo')).toBeUndefined();
    expect(requestIdOfTaskCode('../../etc/passwd-xxxxxxx')).toBeUndefined();
    expect(taskLink(`${BASE}/`, null)).toBe(`${BASE}/w/todo`);
  });

  it('go into every institution prompt that asks to act, once, after neutral 待办 wording', () => {
    const linked = TEMPLATE_IDS.filter((id) => TEMPLATES[id].taskLink);
    expect(linked).toEqual(
      expect.arrayContaining([
        'newDirectedRequest',
        'poolRequestMatchesProducts',
        'grabWon',
        'deadlineReminder',
        'offerChosen',
        'guaranteeRequested',
        'poolDigest',
      ]),
    );
    const link = taskLink(BASE, randomUUID());
    for (const id of linked) {
      expect(TEMPLATES[id].audience.every((a) => a === 'bank' || a === 'guaranteeInstitution')).toBe(true);
      const params = { ...Object.fromEntries(TEMPLATES[id].params.map((p) => [p, `v_${p}`])), link };
      const sms = render(id, 'sms', params);
      expect(sms.text.endsWith(` ${link}`)).toBe(true);
      expect(sms.text.split('http').length).toBe(2);
      expect(sms.text).toContain('待办');
      // No enterprise names or amounts in the SMS that goes to provider template approval.
      expect(sms.text).not.toMatch(/v_enterpriseName|v_amountWan|v_bankName/);
      const mail = render(id, 'email', params);
      expect(mail.text).toContain(`办理入口: ${link}`);
      expect(mail.html).toContain(`<a href="${link}">`);
    }
    // Prompts that ask nothing carry no link even when one is passed.
    expect(render('grabLost', 'sms', { enterpriseName: 'a', requestRef: 'FR-1', link }).text).not.toContain('http');
  });
});
