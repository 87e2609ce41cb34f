// OpenTelemetry tracing through the Temporal SDK's interceptors (@temporalio/interceptors-opentelemetry):
// client spans (start workflow, update, query, signal) in the API, workflow spans (run, updates,
// activities scheduled, child workflows) and activity spans in the worker, joined into one trace
// through Temporal headers. Off by default; OTEL_TRACING=console prints finished spans to stdout
// (ConsoleSpanExporter). Another exporter (OTLP) plugs in at `spanProcessor` below.
//
// Also the hooks every process uses, tracing or not: clientInterceptors() (workflow-start metrics)
// and workerObservability() (activity failure metrics and logs, plus tracing when on).
import * as otel from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks, WorkerOptions } from '@temporalio/worker';
import { ActivityObserver } from './activityObserver';
import { WorkflowStartMetricsInterceptor } from './metrics';

export type TracingMode = 'off' | 'console';

export function tracingMode(env: NodeJS.ProcessEnv = process.env): TracingMode {
  const v = (env.OTEL_TRACING ?? '').trim().toLowerCase();
  if (v === '' || v === 'off' || v === 'false' || v === '0') return 'off';
  if (v === 'console') return 'console';
  throw new Error(`OTEL_TRACING=${env.OTEL_TRACING}: use console or off`);
}

interface Tracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
  provider: NodeTracerProvider;
}

let installed: Tracing | undefined;

/** Registers the global tracer provider once per process when OTEL_TRACING is on; undefined when off. */
export function setupTracing(serviceName = 'loanbridge', env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (tracingMode(env) === 'off') return undefined;
  if (installed) return installed;
  const resource = new Resource({ 'service.name': serviceName });
  const spanProcessor = new SimpleSpanProcessor(new ConsoleSpanExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  installed = { spanProcessor, resource, provider };
  return installed;
}

/** Interceptors for every Temporal Client: workflow-start metrics, plus tracing when on. */
export function clientInterceptors(env: NodeJS.ProcessEnv = process.env): { workflow: WorkflowClientInterceptor[] } {
  const tracing = setupTracing('loanbridge-api', env);
  return { workflow: [new WorkflowStartMetricsInterceptor(), ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [])] };
}

/**
 * Worker options for observability: the activity observer (failure metrics and logs with workflow
 * ids) always; with tracing on, the SDK's OpenTelemetry activity and workflow interceptors and the
 * sink that exports workflow spans. A pre-built bundle (Docker image) cannot take workflow
 * interceptor modules after the fact: it gets activity and client spans only (docs/operations.md).
 */
export function workerObservability(o: { prebuiltBundle: boolean }, env: NodeJS.ProcessEnv = process.env): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const tracing = setupTracing('loanbridge-worker', env);
  const activity: ActivityInterceptorsFactory[] = [(ctx) => ({ inbound: new ActivityObserver(ctx) })];
  if (!tracing) return { interceptors: { activity } };
  activity.push((ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }));
  const sinks: InjectedSinks<Record<string, never>> = {
    exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource),
  } as unknown as InjectedSinks<Record<string, never>>;
  return {
    interceptors: {
      activity,
      ...(o.prebuiltBundle ? {} : { workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] }),
    },
    sinks,
  };
}

/** The active tracer (a no-op tracer while tracing is off), for spans of our own. */
export function tracer(): otel.Tracer {
  return otel.trace.getTracer('loanbridge');
}
