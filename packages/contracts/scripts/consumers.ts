/**
 * The consumer side of `npm run contracts:check`: every consumer's declaration
 * (`apps/<service>/consumes.ts`, exporting `CONSUMES`) is loaded, and each breaking change to an
 * event version is reported with the consumers it would break, e.g.
 *
 *   registry.child.registered v1: breaking for facilities, reporting, volunteers: childId: property removed
 *
 * A consumer that reads an event version no producer defines any more (or on another topic) is
 * broken too, and named.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { CheckReport } from '../src/compat/check.js';
import type { Change } from '../src/compat/compare.js';
import { consumedKeys, consumedTopics, type ConsumerDeclaration } from '../src/consumers.js';
import { eventKey, type EventDefinition } from '../src/events.js';

/** Every `<appsDir>/<app>/consumes.ts`'s `CONSUMES`, by service name. */
export async function loadConsumers(appsDir: string): Promise<ConsumerDeclaration[]> {
  if (!existsSync(appsDir)) return [];
  const declarations: ConsumerDeclaration[] = [];
  for (const app of readdirSync(appsDir).sort()) {
    const file = join(appsDir, app, 'consumes.ts');
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { CONSUMES?: ConsumerDeclaration };
    const declaration = module.CONSUMES;
    if (!declaration || typeof declaration.service !== 'string' || !Array.isArray(declaration.subscriptions))
      throw new Error(`${file} does not export CONSUMES = declareConsumer(…)`);
    declarations.push(declaration);
  }
  return declarations;
}

export interface ConsumerImpact {
  /** `type@version` */
  event: string;
  /** The consumers that read it (empty: nobody declared it; still breaking, topics are replayed). */
  consumers: string[];
  changes: Change[];
}

/** `registry.child.registered@1` → `registry.child.registered v1` */
const display = (key: string): string => key.replace(/@(\d+)$/, ' v$1');

/**
 * The breaking changes of a report grouped by event version, each with the consumers it breaks,
 * plus consumers left reading an event version that is gone or moved.
 */
export function consumerImpacts(
  report: CheckReport,
  consumers: readonly ConsumerDeclaration[],
  events: readonly EventDefinition[],
): ConsumerImpact[] {
  const readers = new Map<string, Set<string>>();
  for (const consumer of consumers) {
    for (const key of consumedKeys(consumer)) {
      const set = readers.get(key) ?? new Set<string>();
      set.add(consumer.service);
      readers.set(key, set);
    }
  }
  const byEvent = new Map<string, Change[]>();
  for (const change of report.breaking) byEvent.set(change.event, [...(byEvent.get(change.event) ?? []), change]);

  // A consumer's declaration against the current definitions: the version must still exist, on its topic.
  const defined = new Map(events.map((event) => [eventKey(event.type, event.version), event]));
  for (const consumer of consumers) {
    for (const [key, topic] of consumedTopics(consumer)) {
      const definition = defined.get(key);
      const message =
        definition === undefined
          ? `${consumer.service} reads ${key}, which no producer defines any more`
          : definition.topic !== topic
            ? `${consumer.service} reads ${key} on ${topic}, the producer now publishes it on ${definition.topic}`
            : undefined;
      if (message === undefined) continue;
      const change: Change = { severity: 'breaking', event: key, path: '(event)', message };
      byEvent.set(key, [...(byEvent.get(key) ?? []), change]);
    }
  }
  return [...byEvent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([event, changes]) => ({ event, consumers: [...(readers.get(event) ?? [])].sort(), changes }));
}

/** One line per breaking change, naming the consumers it breaks. */
export function formatImpacts(impacts: readonly ConsumerImpact[]): string {
  if (impacts.length === 0) return '';
  const lines = ['CONSUMERS THAT WOULD BREAK:'];
  for (const impact of impacts) {
    const who =
      impact.consumers.length > 0
        ? `breaking for ${impact.consumers.join(', ')}`
        : 'breaking (no declared consumer; published events are still replayed)';
    for (const change of impact.changes)
      lines.push(
        `  ✗ ${display(impact.event)}: ${who}: ${change.path === '(event)' ? '' : `${change.path}: `}${change.message}`,
      );
  }
  return lines.join('\n');
}

/** What each consumer reads, for the report of a passing check. */
export function formatConsumers(consumers: readonly ConsumerDeclaration[]): string {
  return [
    `consumers checked (${consumers.length}):`,
    ...consumers.map((c) => `  ${c.service}: ${consumedKeys(c).length} event versions`),
  ].join('\n');
}
