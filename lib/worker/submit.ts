/**
 * The sending side of a queue pool (the gateway): records the job, then enqueues it. A retried call
 * maps to the same job id and finds the record there, so it is neither enqueued nor run again.
 */
import { encodeJob, type Job } from './job';
import type { JobStore } from './job-store';
import type { JobQueue } from './queue';

/**
 * @returns true when the job was enqueued now, false when it existed already (a retry).
 * @throws the queue's error after removing the record, so that a retry can enqueue it.
 */
export async function submitJob(store: JobStore, queue: JobQueue, job: Job, ttlSeconds: number): Promise<boolean> {
  if (!(await store.create(job, ttlSeconds))) return false;
  try {
    await queue.send(encodeJob(job));
  } catch (error) {
    await store.remove(job.id).catch(() => undefined);
    throw error;
  }
  return true;
}
