import { Registry } from './registry';

/**
 * The process's own metrics, served at GET /metrics beside the projection gauges. One registry
 * per process: an app, a projector or an all-in-one process counts what it ran itself.
 */
export const registry = new Registry();

/** Seconds: from 5 ms to 10 s (commands and HTTP requests). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const commandsTotal = registry.counter(
  'commands_total',
  'Commands run, by command type and outcome (accepted, repeated, rejected, conflict, error).',
  ['command', 'outcome'],
);

export const commandDuration = registry.histogram(
  'command_duration_seconds',
  'Time to run a command (read, decide, append), by command type.',
  ['command'],
  LATENCY_BUCKETS,
);

export const httpRequestsTotal = registry.counter(
  'http_requests_total',
  'HTTP requests answered, by method, route template and status code.',
  ['method', 'route', 'status'],
);

export const httpRequestDuration = registry.histogram(
  'http_request_duration_seconds',
  'Time from a request to its answer, by method and route template.',
  ['method', 'route'],
  LATENCY_BUCKETS,
);

export const httpRequestsInFlight = registry.gauge(
  'http_requests_in_flight',
  'HTTP requests being served now (open event streams included).',
);

export const webhookDeliveriesTotal = registry.counter(
  'webhook_deliveries_total',
  'Webhook delivery attempts, by outcome: delivered (a 2xx), failed (anything else), parked (gave up).',
  ['outcome'],
);

export const webhookDeliveryFailuresTotal = registry.counter(
  'webhook_delivery_failures_total',
  'Webhook delivery attempts that failed (non-2xx, redirect, timeout, network error, URL refused).',
);

export const projectionBatchesTotal = registry.counter(
  'projection_batches_total',
  'Batches a projection runner of this process committed (each with its checkpoint).',
  ['projection'],
);
