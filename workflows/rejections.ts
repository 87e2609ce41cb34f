// How an update validator refuses: an ApplicationFailure whose type is one of messages.ts's
// REJECTIONS, which the API maps to its HTTP answer (api/temporalErrors.ts).
import { ApplicationFailure } from '@temporalio/workflow';

export const reject = (type: string, message: string): ApplicationFailure => ApplicationFailure.create({ type, message });
