/**
 * Activities logged on a phone without a connection: kept in localStorage with the id the phone
 * generated (`activityId`, also the `Idempotency-Key`), sent when the connection returns. The
 * facilities service stores an id once, so a send that reached the server but whose answer was
 * lost is simply sent again.
 */
import { useSyncExternalStore } from 'react';

import { api, ApiError, NetworkError } from './api';

export interface QueuedActivity {
  activityId: string;
  facilityId: string;
  body: Record<string, unknown>;
  queuedAt: string;
  /** The server refused it (4xx): kept, with its message, until the manager discards it. */
  error?: string;
}

const KEY = 'tongxin.activityQueue';
const listeners = new Set<() => void>();
let snapshot: QueuedActivity[] = read();

function read(): QueuedActivity[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as QueuedActivity[];
  } catch {
    return [];
  }
}
function write(items: QueuedActivity[]): void {
  localStorage.setItem(KEY, JSON.stringify(items));
  snapshot = items;
  for (const listener of listeners) listener();
}

export const newActivityId = (): string => crypto.randomUUID();

export function enqueue(item: Omit<QueuedActivity, 'queuedAt'>): void {
  write([...read().filter((q) => q.activityId !== item.activityId), { ...item, queuedAt: new Date().toISOString() }]);
}
export function discard(activityId: string): void {
  write(read().filter((q) => q.activityId !== activityId));
}

export const postActivity = (facilityId: string, activityId: string, body: Record<string, unknown>) =>
  api(`/api/facilities/facilities/${encodeURIComponent(facilityId)}/activities`, {
    method: 'POST',
    body: { ...body, activityId },
    headers: { 'idempotency-key': activityId },
    timeoutMs: 15_000,
  });

let flushing: Promise<number> | undefined;

async function sendAll(): Promise<number> {
  let sent = 0;
  for (const item of read()) {
    if (item.error) continue;
    try {
      await postActivity(item.facilityId, item.activityId, item.body);
      discard(item.activityId);
      sent += 1;
    } catch (error) {
      if (error instanceof NetworkError) break;
      if (error instanceof ApiError && (error.status >= 500 || error.status === 401 || error.status === 429)) break;
      const message = error instanceof ApiError ? (error.problem.detail ?? error.message) : String(error);
      write(read().map((q) => (q.activityId === item.activityId ? { ...q, error: message } : q)));
    }
  }
  return sent;
}

/**
 * Sends what waits, in order; stops at the first network failure. Resolves to how many were sent.
 * One run at a time; `.finally` clears it asynchronously (an empty queue finishes synchronously,
 * and clearing inside the run would leave a settled promise behind that stops every later run).
 */
export function flush(): Promise<number> {
  flushing ??= sendAll().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

export function useQueue(): QueuedActivity[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
  );
}
