// Identifiers that must be derivable, so that retries land on the same objects. Pure.

/** Workflow id of a financing request: one workflow per request, derived from the request id. */
export function financingRequestWorkflowId(financingRequestId: string): string {
  return `financingRequest-${financingRequestId}`;
}

/** Claim id: one claim per (request, bank). */
export function claimId(financingRequestId: string, bankId: string): string {
  return `${financingRequestId}:${bankId}`;
}

export function claimWorkflowId(financingRequestId: string, bankId: string): string {
  return `claim-${claimId(financingRequestId, bankId)}`;
}

/** Workflow id of a claim's guarantee (a child of the claim workflow). */
export function guaranteeWorkflowId(claim: string): string {
  return `guarantee-${claim}`;
}
