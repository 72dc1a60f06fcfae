/** The bus bench's events: ~300-byte JSON bodies, validated by the consumer runner like any event. */
import { defineEvent, defineTopic } from '@tongxin/contracts';
import { z } from 'zod';

export const NOTE =
  'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo';

export function defineBenchEvents(topic: string, partitions: number) {
  const Created = defineEvent({
    type: 'bench.item.created',
    version: 1,
    topic,
    data: z.object({ itemId: z.string(), value: z.number().int(), note: z.string(), region: z.string() }),
    description: 'bench: an item was created',
  });
  const Recorded = defineEvent({
    type: 'bench.item.recorded',
    version: 1,
    topic,
    data: z.object({
      itemId: z.string(),
      by: z.number().int(),
      value: z.number().int(),
      note: z.string(),
      region: z.string(),
    }),
    description: 'bench: an amount was recorded; value is the new total',
  });
  const declaration = defineTopic({
    name: topic,
    producer: 'registry',
    key: 'itemId',
    partitions,
    retentionMs: 3_600_000,
    description: 'bench',
    events: [Created, Recorded],
  });
  return { Created, Recorded, declaration };
}

export const createdData = (id: string) => ({ itemId: id, value: 0, note: NOTE, region: '520000' });
export const recordedData = (id: string, by: number, value: number) => ({
  itemId: id,
  by,
  value,
  note: NOTE,
  region: '520000',
});
