// An activity interceptor in every worker: counts failed activity attempts by activity type and
// error type (loanbridge_activity_failures, through the SDK runtime's metric meter, so it is served
// with the SDK's own metrics on WORKER_METRICS_PORT), and logs each failure with the workflow id,
// run id, activity type and attempt (the context logger adds them; observability/runtime.ts sends
// it to pino as JSON).
import type { Context as ActivityContext } from '@temporalio/activity';
import type { MetricCounter } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

/**
 * Retry-by-design signals, not failures: the notification activity throws these to wait for its
 * `notBefore` or for a lease held by another attempt (notifications/errors.ts). They are logged at
 * debug and counted under their own error_type, so alerts can leave them out.
 */
const EXPECTED_RETRIES = new Set(['NotificationNotDue', 'NotificationInFlight']);

const counters = new WeakMap<object, MetricCounter>();

function failureCounter(ctx: ActivityContext): MetricCounter | undefined {
  try {
    const meter = ctx.metricMeter;
    let c = counters.get(meter);
    if (!c) {
      c = meter.createCounter('loanbridge_activity_failures', undefined, 'Failed activity attempts, by activity_type and error_type');
      counters.set(meter, c);
    }
    return c;
  } catch {
    return undefined; // no runtime meter (tests with a mock context)
  }
}

export class ActivityObserver implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: ActivityContext) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const e = err as { name?: string; type?: string; message?: string; nonRetryable?: boolean };
      const errorType = e.type ?? e.name ?? 'Error';
      failureCounter(this.ctx)?.add(1, { error_type: errorType });
      const meta = { errorType, error: e.message?.slice(0, 500), attempt: this.ctx.info.attempt, nonRetryable: e.nonRetryable === true };
      if (EXPECTED_RETRIES.has(errorType)) this.ctx.log.debug('activity will retry', meta);
      else this.ctx.log.warn('activity attempt failed', meta);
      throw err;
    }
  }
}
