// Renders a template id + parameters for one channel and locale. Pure.
// Missing parameters render as "—" (a prompt with a gap beats no prompt); missingParams() lets
// the lifecycle's tests catch them early.
import { DEFAULT_LOCALE, SMS_SIGNATURE } from './config';
import { TEMPLATES, isTemplateId, type TemplateId } from './templates';
import type { Channel, Locale, ParamValue } from './types';

export interface RenderedMessage {
  templateId: TemplateId;
  locale: Locale;
  channel: Channel;
  /** Subject (e-mail) / title (inbox, webhook). */
  title: string;
  /** Plain text: SMS text, e-mail text part, inbox and webhook body. */
  text: string;
  /** E-mail HTML part. */
  html?: string;
}

export class UnknownTemplateError extends Error {
  override name = 'UnknownTemplateError';
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MISSING = '—';

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

export function missingParams(templateId: string, params: Record<string, unknown>): string[] {
  if (!isTemplateId(templateId)) throw new UnknownTemplateError(`unknown template ${templateId}`);
  return TEMPLATES[templateId].params.filter((p) => params[p] === undefined || params[p] === null);
}

function formatValue(v: ParamValue | undefined, locale: Locale): string {
  if (v === undefined || v === null) return MISSING;
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  return String(v);
}

/**
 * Control characters (line breaks included) and bidirectional overrides/isolates in a value become
 * a space: a company name or purpose typed into a public form cannot add lines or reorder text in
 * a message sent under the platform's signature.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_VALUES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
/** The digest's item list: its lines were each rendered from cleaned values. */
const MULTILINE_PARAMS = new Set(['items']);

export function cleanValue(s: string): string {
  return s.replace(UNSAFE_IN_VALUES, ' ');
}

function fill(text: string, params: Record<string, ParamValue>, locale: Locale, escape: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const v = formatValue(params[name], locale);
    return escape(MULTILINE_PARAMS.has(name) ? v : cleanValue(v));
  });
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML text or attribute value; null and undefined become the empty string. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function render(templateId: string, channel: Channel, params: Record<string, ParamValue>, locale: Locale = DEFAULT_LOCALE): RenderedMessage {
  if (!isTemplateId(templateId)) throw new UnknownTemplateError(`unknown template ${templateId}`);
  const def = TEMPLATES[templateId];
  const t = def.text[locale] ?? def.text[DEFAULT_LOCALE];
  const title = fill(t.title, params, locale);
  // One link, last, so the provider's template is the approved text plus a link variable.
  const link = def.taskLink && typeof params.link === 'string' ? params.link : undefined;
  if (channel === 'sms') {
    return { templateId, locale, channel, title, text: SMS_SIGNATURE[locale] + fill(t.sms ?? t.body, params, locale) + (link ? ` ${link}` : '') };
  }
  const linkLine = link ? `${locale === 'en' ? 'Open the task' : '办理入口'}: ${link}` : undefined;
  const text = fill(t.body, params, locale) + (linkLine ? `\n\n${linkLine}` : '');
  if (channel !== 'email') return { templateId, locale, channel, title, text };
  const footer = locale === 'en' ? 'This is an automatic message from loanbridge; please do not reply.' : '本邮件由贷桥平台自动发送，请勿直接回复。';
  const htmlBody =
    fill(t.body, params, locale, escapeHtml)
      .split('\n')
      .map((line) => `<p>${line}</p>`)
      .join('') + (link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(locale === 'en' ? 'Open the task' : '办理入口')}</a> ${escapeHtml(link)}</p>` : '');
  return {
    templateId,
    locale,
    channel,
    title,
    text: `${text}\n\n${footer}`,
    html: `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${htmlBody}<p style="color:#888">${escapeHtml(footer)}</p></body></html>`,
  };
}
