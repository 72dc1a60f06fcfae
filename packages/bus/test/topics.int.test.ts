import { kafkaAdmin, testKafka, uniqueTopic } from '@tongxin/testkit';
import { describe, expect, it } from 'vitest';

import { ensureTopics } from '../src/index.js';

describe('ensureTopics', () => {
  it('when several services create the same new topics at once, then each returns with every partition led', async () => {
    const kafka = testKafka();
    const specs = [4, 8, 1].map((partitions, i) => ({
      name: uniqueTopic(`ensure-${i}`),
      partitions,
      retentionMs: -1,
    }));
    // What `npm start` on an empty broker does: five services declaring the same topics together.
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureTopics(kafka, specs)));
    expect(results.some((created) => created.length > 0)).toBe(true);

    const admin = await kafkaAdmin();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
      for (const spec of specs) {
        const topic = topics.find((t) => t.name === spec.name)!;
        expect(topic.partitions).toHaveLength(spec.partitions);
        expect(topic.partitions.every((p) => p.leader >= 0)).toBe(true);
      }
    } finally {
      await admin.disconnect();
    }
    expect(await ensureTopics(kafka, specs)).toEqual([]); // nothing left to create
  });

  it('when the broker refuses a topic for a reason other than a race, then the error names it at once', async () => {
    const name = uniqueTopic('ensure-bad');
    const started = Date.now();
    // A retention of "NaN" is an invalid config entry: the broker answers INVALID_CONFIG.
    await expect(ensureTopics(testKafka(), [{ name, partitions: 1, retentionMs: Number.NaN }])).rejects.toThrow(
      new RegExp(`could not create topics ${name}`),
    );
    // Well before the 30 s wait for leaders that a race gets.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
