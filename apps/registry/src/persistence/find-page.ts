import type { Model } from 'mongoose';

/** One page of a filtered list (outbox left out), with the total for the pager. */
export async function findPage<D>(
  model: Model<D>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  query: { page: number; pageSize: number },
): Promise<{ total: number; docs: D[] }> {
  const [total, docs] = await Promise.all([
    model.countDocuments(filter as never),
    model
      .find(filter as never, { outbox: 0 })
      .sort(sort)
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<D[]>(),
  ]);
  return { total, docs };
}
