// Embedded default when no SMS provider is configured: nothing leaves the machine; the outbox row
// itself is the message (marked delivered, providerMessageId devinbox:<reference>) and
// listDevInbox (notifications/devinbox.ts) shows it on the /dev/inbox page.
import type { SmsProvider } from './provider';

export const DEVINBOX_PREFIX = 'devinbox:';

export function createDevInboxSmsProvider(): SmsProvider {
  return {
    name: 'devinbox',
    async send(input) {
      return { providerMessageId: `${DEVINBOX_PREFIX}sms:${input.reference}`, status: 'delivered' };
    },
    async findByReference() {
      return undefined;
    },
  };
}
