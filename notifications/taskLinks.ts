// Short links to a task, carried by every prompt that asks an institution to act: PUBLIC_URL +
// /w/<code>. The code is the request id, shortened (base64url of its 16 bytes, 22 characters); it
// grants nothing by itself — /w/<code> redirects to the workbench, which asks for sign-in and then
// checks access like any API call. Pure (render.ts and the delivery activity use it).

export const TASK_LINK_PREFIX = '/w/';
/** The link of a prompt about several requests (the pool digest): the to-do list. */
export const TODO_CODE = 'todo';

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

export function taskCode(financingRequestId: string): string {
  const m = UUID.exec(financingRequestId);
  if (!m) throw new Error(`not a request id: ${financingRequestId}`);
  return Buffer.from(m.slice(1).join(''), 'hex').toString('base64url');
}

/** The request id of a code, or undefined for anything that is not one. */
export function requestIdOfTaskCode(code: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{22}$/.test(code)) return undefined;
  const hex = Buffer.from(code, 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The short link of a request's task (or of the to-do list when the prompt names no one request). */
export function taskLink(baseUrl: string, financingRequestId: string | null | undefined): string {
  const code = financingRequestId && UUID.test(financingRequestId) ? taskCode(financingRequestId) : TODO_CODE;
  return `${baseUrl.replace(/\/+$/, '')}${TASK_LINK_PREFIX}${code}`;
}
