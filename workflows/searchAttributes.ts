// Typed search attributes on financingRequest workflows, for the Temporal UI and supervisors'
// visibility queries. Registered on the server at worker start (worker/searchAttributes.ts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const LOAN_STAGE = defineSearchAttributeKey('LoanStage', SearchAttributeType.KEYWORD);
export const LOAN_BANK_IDS = defineSearchAttributeKey('LoanBankIds', SearchAttributeType.KEYWORD_LIST);
export const LOAN_REGION = defineSearchAttributeKey('LoanRegion', SearchAttributeType.KEYWORD);
export const LOAN_AMOUNT_TIER = defineSearchAttributeKey('LoanAmountTier', SearchAttributeType.KEYWORD);
export const LOAN_DEADLINE = defineSearchAttributeKey('LoanDeadline', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [LOAN_STAGE, LOAN_BANK_IDS, LOAN_REGION, LOAN_AMOUNT_TIER, LOAN_DEADLINE];
