// Retry policy and activity options for deliverNotification. Pure (no Node imports): workflows import it.
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import {
  ACTIVITY_SCHEDULE_TO_CLOSE_MS,
  ACTIVITY_START_TO_CLOSE_MS,
  RETRY_BACKOFF_COEFFICIENT,
  RETRY_INITIAL_INTERVAL_MS,
  RETRY_MAXIMUM_INTERVAL_MS,
} from './config';

/**
 * Exponential backoff for transient provider errors (429, 5xx, connection refused). Permanent
 * errors are thrown non-retryable; "not due yet" and "in flight elsewhere" set nextRetryDelay,
 * which overrides the backoff for that retry. Attempts are unlimited; the schedule-to-close
 * timeout bounds the total.
 */
export const notificationRetryPolicy: RetryPolicy = {
  initialInterval: RETRY_INITIAL_INTERVAL_MS,
  backoffCoefficient: RETRY_BACKOFF_COEFFICIENT,
  maximumInterval: RETRY_MAXIMUM_INTERVAL_MS,
  nonRetryableErrorTypes: ['NotificationRejected', 'NotificationNotFound'],
};

export const notificationActivityOptions: ActivityOptions = {
  startToCloseTimeout: ACTIVITY_START_TO_CLOSE_MS,
  scheduleToCloseTimeout: ACTIVITY_SCHEDULE_TO_CLOSE_MS,
  retry: notificationRetryPolicy,
};
