/**
 * The AsyncAPI 3.0.0 document of every topic and event, generated from the declarations (as
 * OpenAPI is generated for HTTP). Payloads are JSON Schema draft-07 through a Multi Format Schema
 * Object; headers are the CloudEvents Kafka binary-binding headers of envelope.ts.
 */
import { deadLetterTopic, DEAD_LETTER_RETENTION_MS, type TopicDeclaration } from '../topics.js';

import { dataJsonSchema, type JsonSchema } from './json-schema.js';

const KAFKA_BINDING_VERSION = '0.5.0';
const DRAFT_07 = 'application/schema+json;version=draft-07';

/** AsyncAPI component and channel ids allow only `[A-Za-z0-9_\-]` (and `.` in components). */
const id = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

export const CLOUD_EVENT_HEADERS: JsonSchema = {
  type: 'object',
  description:
    'CloudEvents 1.0, Kafka protocol binding, binary content mode: attributes as headers, the body is the event data.',
  required: [
    'ce_specversion',
    'ce_id',
    'ce_type',
    'ce_source',
    'ce_subject',
    'ce_time',
    'ce_sequence',
    'ce_schemaversion',
    'content-type',
  ],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', format: 'uuid', description: 'Event id, a UUIDv7 (time-ordered).' },
    ce_type: { type: 'string', description: '`<producer>.<aggregate>.<past_tense_fact>`.' },
    ce_source: { type: 'string', description: 'The producing service.' },
    ce_subject: { type: 'string', description: 'The aggregate id; equals the Kafka key.' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_sequence: {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
      description:
        "The aggregate's version after this event (1, 2, 3…): projections apply an event only when it is newer.",
    },
    ce_schemaversion: { type: 'string', pattern: '^[1-9][0-9]*$', description: 'Integer schema version of ce_type.' },
    ce_correlationid: { type: 'string', description: 'Correlates the events caused by one request.' },
    'content-type': { type: 'string', const: 'application/json' },
    traceparent: { type: 'string', description: 'W3C trace context of the request that caused the event.' },
    tracestate: { type: 'string' },
  },
};

export function buildAsyncApi(topics: readonly TopicDeclaration[], info: { version: string }): JsonSchema {
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  const messages: JsonSchema = {};
  for (const topic of topics) {
    const channelId = id(topic.name);
    const channelMessages: JsonSchema = {};
    for (const event of topic.events) {
      const messageId = id(`${event.type}.v${event.version}`);
      const { $schema: _ignored, ...payload } = dataJsonSchema(event, 'draft-7');
      messages[messageId] = {
        name: event.type,
        title: `${event.type} (version ${event.version})`,
        summary: event.description,
        contentType: 'application/json',
        headers: { $ref: '#/components/schemas/CloudEventHeaders' },
        payload: { schemaFormat: DRAFT_07, schema: payload },
        correlationId: { location: '$message.header#/ce_correlationid' },
        bindings: {
          kafka: {
            key: { type: 'string', description: `${topic.key} — the aggregate id (ce_subject)` },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
        'x-schema-version': event.version,
      };
      channelMessages[messageId] = { $ref: `#/components/messages/${messageId}` };
    }
    channels[channelId] = {
      address: topic.name,
      title: topic.name,
      description: `${topic.description}\n\nKey: ${topic.key}. Producer: ${topic.producer}. Dead letters of consumer group G: ${deadLetterTopic(topic.name, 'G')}.`,
      messages: channelMessages,
      bindings: {
        kafka: {
          topic: topic.name,
          partitions: topic.partitions,
          topicConfiguration: { 'retention.ms': topic.retentionMs, 'cleanup.policy': ['delete'] },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    operations[id(`${topic.producer}_publishes_${topic.name}`)] = {
      action: 'send',
      title: `${topic.producer} publishes ${topic.name}`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(channelMessages).map((messageId) => ({
        $ref: `#/channels/${channelId}/messages/${messageId}`,
      })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tongxin (童心) events',
      version: info.version,
      description: [
        'Every Kafka topic and event of the Tongxin platform, generated from packages/contracts.',
        'Envelope: CloudEvents 1.0, Kafka binary binding (ce_* headers, body = event data as JSON).',
        "Key = aggregate id (= ce_subject), so one aggregate's events stay in order; ce_sequence is the aggregate version.",
        'Consumers read tolerantly: unknown fields are ignored, unknown event types counted and skipped.',
        `Dead letters: a message that still fails after retries, or fails validation, goes to \`<topic>.dlq.<consumer-group>\` (e.g. ${deadLetterTopic('registry.child.v1', 'reporting')}) with its error; retention ${DEAD_LETTER_RETENTION_MS / 86_400_000} days.`,
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas: { CloudEventHeaders: CLOUD_EVENT_HEADERS } },
  };
}
