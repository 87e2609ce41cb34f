// Every workflow the worker runs (the bundler's entry point).
export { financingRequestWorkflow } from './financingRequest';
export { claimWorkflow } from './claim';
export { guaranteeWorkflow } from './guarantee';
export { creditPortraitWorkflow } from './portrait';
export { storedCreditPortraitWorkflow } from './portraitStore';
export { deliverNotificationsWorkflow } from './notify';
export { productMatchingWorkflow } from './productMatching';
export { supervisionReportWorkflow } from './supervisionReport';
export { webhookReplayWorkflow } from './webhookReplay';
