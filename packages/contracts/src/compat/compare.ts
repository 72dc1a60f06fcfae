/**
 * Compares the JSON Schema snapshot of a published event version with the schema the current
 * definition produces, and says what changed and whether it can break a consumer.
 *
 * Two readers can break, because topics are kept for ever and replayed:
 *  - a consumer built against the NEW schema replays OLD events → anything that narrows what is
 *    accepted breaks it (removed → no, a new required field, a tightened format, an enum value gone…);
 *  - a consumer still on the OLD schema reads NEW events → anything the producer stops sending, or
 *    sends differently, breaks it (a removed field, a changed type, an optional-now field).
 * Additions that old readers strip (a new optional property) are safe. Widening a closed set
 * (a new enum value, a dropped or loosened constraint) is BREAKING: a consumer still on the old
 * schema rejects the new values and dead-letters the event (ARCHITECTURE §3: only an added optional
 * field keeps the version; anything else is a new version).
 */
import type { JsonSchema } from './json-schema.js';

export type Severity = 'breaking' | 'additive' | 'invalid';

export interface Change {
  severity: Severity;
  /** `type@version` */
  event: string;
  /** Field path inside the event's data, e.g. `guardian.kind`, `lines[].quantity`; `(event)` for the event itself. */
  path: string;
  message: string;
}

const EVENT_PATH = '(event)';

type Node = JsonSchema | boolean;

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON types a node admits, e.g. ['null', 'string']. `*` when it admits anything. */
function typeSet(node: Node): string[] {
  if (node === true || (isObject(node) && Object.keys(node).length === 0)) return ['*'];
  if (node === false || !isObject(node)) return [];
  const union = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  if (Array.isArray(union)) return [...new Set(union.flatMap(typeSet))].sort();
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return [...(node.type as string[])].sort();
  const values = Array.isArray(node.enum) ? (node.enum as unknown[]) : 'const' in node ? [node.const] : [];
  if (values.length > 0) return [...new Set(values.map(jsonTypeOf))].sort();
  return ['*'];
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const describeTypes = (types: string[]): string => (types.length === 0 ? 'nothing' : types.join(' | '));
const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const show = (values: unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

class Comparison {
  readonly changes: Change[] = [];

  constructor(private readonly event: string) {}

  add(severity: Severity, path: string, message: string): void {
    this.changes.push({ severity, event: this.event, path: path === '' ? '(data)' : path, message });
  }

  node(before: Node, after: Node, path: string): void {
    const beforeTypes = typeSet(before);
    const afterTypes = typeSet(after);
    if (beforeTypes.join('|') !== afterTypes.join('|')) {
      this.add('breaking', path, `type changed from ${describeTypes(beforeTypes)} to ${describeTypes(afterTypes)}`);
      return;
    }
    if (!isObject(before) || !isObject(after)) return;
    const beforeUnion = (before.anyOf ?? before.oneOf) as Node[] | undefined;
    const afterUnion = (after.anyOf ?? after.oneOf) as Node[] | undefined;
    if (Array.isArray(beforeUnion) || Array.isArray(afterUnion)) {
      this.union(beforeUnion ?? [before], afterUnion ?? [after], path);
      return;
    }
    this.enumeration(before, after, path);
    this.strings(before, after, path);
    this.bounds(before, after, path);
    if (beforeTypes.includes('object')) this.object(before, after, path);
    if (beforeTypes.includes('array')) this.array(before, after, path);
  }

  /** Branches are matched by the types they admit; each old branch must still be there. */
  private union(before: Node[], after: Node[], path: string): void {
    const remaining = [...after];
    for (const branch of before) {
      const signature = typeSet(branch).join('|');
      const index = remaining.findIndex((candidate) => typeSet(candidate).join('|') === signature);
      const match = remaining[index];
      if (index < 0 || match === undefined) {
        this.add('breaking', path, `union option of type ${signature} removed`);
        continue;
      }
      remaining.splice(index, 1);
      this.node(branch, match, path);
    }
    for (const branch of remaining) {
      this.add(
        'breaking',
        path,
        `union option of type ${typeSet(branch).join('|')} added: consumers of this version would reject it`,
      );
    }
  }

  private enumeration(before: JsonSchema, after: JsonSchema, path: string): void {
    const beforeValues = Array.isArray(before.enum)
      ? (before.enum as unknown[])
      : 'const' in before
        ? [before.const]
        : undefined;
    const afterValues = Array.isArray(after.enum)
      ? (after.enum as unknown[])
      : 'const' in after
        ? [after.const]
        : undefined;
    if (beforeValues === undefined && afterValues === undefined) return;
    if (afterValues === undefined) {
      this.add('breaking', path, `enum removed (any value now accepted); ${WIDENING}`);
      return;
    }
    if (beforeValues === undefined) {
      this.add('breaking', path, `now restricted to ${show(afterValues)}`);
      return;
    }
    const key = (value: unknown): string => JSON.stringify(value);
    const afterKeys = new Set(afterValues.map(key));
    const beforeKeys = new Set(beforeValues.map(key));
    const lost = beforeValues.filter((value) => !afterKeys.has(key(value)));
    const gained = afterValues.filter((value) => !beforeKeys.has(key(value)));
    if (lost.length > 0)
      this.add(
        'breaking',
        path,
        `enum lost value(s) ${show(lost)}: events already published with them would be rejected`,
      );
    if (gained.length > 0) this.add('breaking', path, `enum gained value(s) ${show(gained)}; ${WIDENING}`);
  }

  private strings(before: JsonSchema, after: JsonSchema, path: string): void {
    if (before.format !== after.format) {
      if (after.format === undefined)
        this.add('breaking', path, `format ${String(before.format)} dropped; ${WIDENING}`);
      else if (before.format === undefined) this.add('breaking', path, `format ${String(after.format)} added`);
      else this.add('breaking', path, `format changed from ${String(before.format)} to ${String(after.format)}`);
    }
    // With a format in both, the pattern is zod's own rendering of that format: not ours to judge.
    const formatDecides = before.format !== undefined && before.format === after.format;
    if (!formatDecides && before.pattern !== after.pattern) {
      if (after.pattern === undefined)
        this.add('breaking', path, `pattern ${String(before.pattern)} dropped; ${WIDENING}`);
      else if (before.pattern === undefined) this.add('breaking', path, `pattern ${String(after.pattern)} added`);
      else
        this.add(
          'breaking',
          path,
          `pattern changed from ${String(before.pattern)} to ${String(after.pattern)} (may reject published values)`,
        );
    }
  }

  /** Lower bounds may only go down and upper bounds only up; a new bound is a tightening. */
  private bounds(before: JsonSchema, after: JsonSchema, path: string): void {
    const lower = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
    const upper = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
    for (const keyword of [...lower, ...upper]) {
      const was = before[keyword];
      const is = after[keyword];
      if (was === is || (typeof is !== 'number' && typeof was !== 'number')) continue;
      const isLower = lower.includes(keyword);
      if (typeof is !== 'number') {
        this.add('breaking', path, `${keyword} ${String(was)} dropped; ${WIDENING}`);
      } else if (typeof was !== 'number') {
        this.add('breaking', path, `${keyword} ${is} added`);
      } else if (isLower ? is > was : is < was) {
        this.add('breaking', path, `${keyword} tightened from ${was} to ${is}`);
      } else {
        this.add('breaking', path, `${keyword} loosened from ${was} to ${is}; ${WIDENING}`);
      }
    }
  }

  private object(before: JsonSchema, after: JsonSchema, path: string): void {
    const beforeProps = isObject(before.properties) ? before.properties : {};
    const afterProps = isObject(after.properties) ? after.properties : {};
    const beforeRequired = new Set(Array.isArray(before.required) ? (before.required as string[]) : []);
    const afterRequired = new Set(Array.isArray(after.required) ? (after.required as string[]) : []);
    for (const [name, schema] of Object.entries(beforeProps)) {
      const at = join(path, name);
      if (!(name in afterProps)) {
        this.add('breaking', at, `property removed${beforeRequired.has(name) ? ' (it was required)' : ''}`);
        continue;
      }
      if (beforeRequired.has(name) && !afterRequired.has(name)) {
        this.add('breaking', at, 'became optional: consumers of this version require it');
      } else if (!beforeRequired.has(name) && afterRequired.has(name)) {
        this.add('breaking', at, 'became required: events already published without it would be rejected');
      }
      this.node(schema as Node, afterProps[name] as Node, at);
    }
    for (const name of Object.keys(afterProps)) {
      if (name in beforeProps) continue;
      const at = join(path, name);
      if (afterRequired.has(name)) {
        this.add('breaking', at, 'new required property: events already published without it would be rejected');
      } else {
        this.add('additive', at, 'optional property added');
      }
    }
  }

  private array(before: JsonSchema, after: JsonSchema, path: string): void {
    if (before.items === undefined && after.items === undefined) return;
    this.node((before.items ?? true) as Node, (after.items ?? true) as Node, `${path}[]`);
  }
}

const WIDENING = 'a consumer still on the old schema would reject such events: publish a new event version instead';

/** Differences between a published event version's snapshot and its current schema. */
export function compareSchemas(event: string, before: JsonSchema, after: JsonSchema): Change[] {
  const comparison = new Comparison(event);
  comparison.node(before, after, '');
  return comparison.changes;
}

export interface PublishedEvent {
  /** `type@version` */
  key: string;
  topic: string;
  schema: JsonSchema;
}

/**
 * Compares every snapshot with the current catalogue: an event version that disappeared or moved
 * to another topic is breaking, a new one is additive, and the schemas are compared field by field.
 */
export function compareCatalogues(snapshots: readonly PublishedEvent[], current: readonly PublishedEvent[]): Change[] {
  const changes: Change[] = [];
  const now = new Map(current.map((event) => [event.key, event]));
  const published = new Set(snapshots.map((event) => event.key));
  for (const snapshot of snapshots) {
    const event = now.get(snapshot.key);
    if (event === undefined) {
      changes.push({
        severity: 'breaking',
        event: snapshot.key,
        path: EVENT_PATH,
        message:
          'event type or version disappeared (renamed or removed): its consumers and published events are orphaned',
      });
      continue;
    }
    if (event.topic !== snapshot.topic) {
      changes.push({
        severity: 'breaking',
        event: snapshot.key,
        path: EVENT_PATH,
        message: `topic changed from ${snapshot.topic} to ${event.topic}`,
      });
    }
    changes.push(...compareSchemas(snapshot.key, snapshot.schema, event.schema));
  }
  for (const event of current) {
    if (!published.has(event.key)) {
      changes.push({
        severity: 'additive',
        event: event.key,
        path: EVENT_PATH,
        message: `new event version on ${event.topic}`,
      });
    }
  }
  return changes;
}
