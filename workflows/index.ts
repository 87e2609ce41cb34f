// Every workflow the worker runs (the bundler's entry point).
export { financingRequestWorkflow } from './financingRequest';
