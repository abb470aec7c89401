/**
 * Aggregation stages, as MongoDB documents them
 * (https://www.mongodb.com/docs/manual/reference/operator/aggregation-pipeline/).
 */
import { Long, type Collection, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectRejection,
  expectServerError,
  startTestDatabase,
  usingRealMongoDB,
  type AnyDoc,
  type TestDatabase,
} from '../helpers';

let tdb: TestDatabase;
let db: Db;
let orders: Collection<AnyDoc>;

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
  orders = db.collection<AnyDoc>('orders');
  await orders.insertMany([
    { _id: 1, item: 'pen', price: 2, qty: 10, tags: ['office', 'cheap'], customer: 'c1' },
    { _id: 2, item: 'ink', price: 10, qty: 2, tags: ['office'], customer: 'c2' },
    { _id: 3, item: 'pen', price: 2, qty: 5, tags: [], customer: 'c1' },
    { _id: 4, item: 'pad', price: 5, qty: 4, customer: 'c3' },
    { _id: 5, item: 'ink', price: 12, qty: 1, tags: ['premium', 'office'], customer: 'c9' },
  ]);
  await db.collection<AnyDoc>('customers').insertMany([
    { _id: 'c1', name: 'Ann', country: 'FR' },
    { _id: 'c2', name: 'Ben', country: 'DE' },
    { _id: 'c3', name: 'Cid', country: 'FR' },
  ]);
});

afterAll(async () => {
  await tdb.close();
});

async function run(pipeline: Document[]): Promise<AnyDoc[]> {
  return orders.aggregate<AnyDoc>(pipeline).toArray();
}

describe('aggregate', () => {
  it('$match then $group with accumulators, then $sort', async () => {
    const result = await run([
      { $match: { price: { $lt: 11 } } },
      { $sort: { _id: 1 } }, // $first, $last and $push follow input order
      {
        $group: {
          _id: '$item',
          total: { $sum: { $multiply: ['$price', '$qty'] } },
          count: { $sum: 1 },
          avgQty: { $avg: '$qty' },
          minQty: { $min: '$qty' },
          maxQty: { $max: '$qty' },
          ids: { $push: '$_id' },
          customers: { $addToSet: '$customer' },
          first: { $first: '$_id' },
          last: { $last: '$_id' },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(result).toEqual([
      {
        _id: 'ink',
        total: 20,
        count: 1,
        avgQty: 2,
        minQty: 2,
        maxQty: 2,
        ids: [2],
        customers: ['c2'],
        first: 2,
        last: 2,
      },
      {
        _id: 'pad',
        total: 20,
        count: 1,
        avgQty: 4,
        minQty: 4,
        maxQty: 4,
        ids: [4],
        customers: ['c3'],
        first: 4,
        last: 4,
      },
      {
        _id: 'pen',
        total: 30,
        count: 2,
        avgQty: 7.5,
        minQty: 5,
        maxQty: 10,
        ids: [1, 3],
        customers: ['c1'],
        first: 1,
        last: 3,
      },
    ]);
  });

  it('$group with _id null over the whole collection', async () => {
    expect(await run([{ $group: { _id: null, qty: { $sum: '$qty' } } }])).toEqual([{ _id: null, qty: 22 }]);
  });

  it('$group by a compound key; $sum skips non-numbers and $avg of nothing is null', async () => {
    const result = await run([
      {
        $group: { _id: { item: '$item', price: '$price' }, n: { $sum: '$item' }, avg: { $avg: '$missing' } },
      },
      { $sort: { '_id.item': 1, '_id.price': 1 } },
    ]);
    expect(result.map((d) => d._id)).toEqual([
      { item: 'ink', price: 10 },
      { item: 'ink', price: 12 },
      { item: 'pad', price: 5 },
      { item: 'pen', price: 2 },
    ]);
    for (const d of result) {
      expect(d.n).toBe(0);
      expect(d.avg).toBeNull();
    }
  });

  it('$$ROOT in $group and $match with $expr', async () => {
    const result = await run([
      { $match: { $expr: { $gte: [{ $multiply: ['$price', '$qty'] }, 20] } } },
      { $sort: { _id: 1 } },
      { $group: { _id: null, docs: { $push: '$$ROOT' } } },
    ]);
    expect((result[0]?.docs as AnyDoc[]).map((d) => d._id)).toEqual([1, 2, 4]);
  });

  it('$project computes fields and $addFields / $set add them', async () => {
    const projected = await run([
      { $match: { _id: 1 } },
      {
        $project: { _id: 0, item: 1, value: { $multiply: ['$price', '$qty'] }, upper: { $toUpper: '$item' } },
      },
    ]);
    expect(projected).toEqual([{ item: 'pen', value: 20, upper: 'PEN' }]);
    const added = await run([
      { $match: { _id: 2 } },
      { $addFields: { value: { $multiply: ['$price', '$qty'] } } },
      { $set: { big: { $gt: ['$value', 15] } } },
      { $project: { value: 1, big: 1 } },
    ]);
    expect(added).toEqual([{ _id: 2, value: 20, big: true }]);
  });

  it('$unset removes fields', async () => {
    const result = await run([{ $match: { _id: 4 } }, { $unset: ['tags', 'customer', 'price'] }]);
    expect(result).toEqual([{ _id: 4, item: 'pad', qty: 4 }]);
  });

  it('$sort, $skip and $limit', async () => {
    const result = await run([
      { $sort: { price: -1, _id: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 1 } },
    ]);
    expect(result).toEqual([{ _id: 2 }, { _id: 4 }]);
  });

  it('$unwind, with and without preserveNullAndEmptyArrays and includeArrayIndex', async () => {
    const plain = await run([
      { $unwind: '$tags' },
      { $project: { tags: 1 } },
      { $sort: { _id: 1, tags: 1 } },
    ]);
    expect(plain).toEqual([
      { _id: 1, tags: 'cheap' },
      { _id: 1, tags: 'office' },
      { _id: 2, tags: 'office' },
      { _id: 5, tags: 'office' },
      { _id: 5, tags: 'premium' },
    ]);
    const kept = await run([
      { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } },
      { $project: { tags: 1, i: 1 } },
      { $sort: { _id: 1, i: 1 } },
    ]);
    expect(kept.map((d) => d._id)).toEqual([1, 1, 2, 3, 4, 5, 5]);
    expect(kept.find((d) => d._id === 3)).toEqual({ _id: 3, i: null });
    expect(kept.find((d) => d._id === 2)).toEqual({ _id: 2, tags: 'office', i: 0 });
  });

  it('$lookup by local and foreign field, and with a pipeline', async () => {
    const joined = await run([
      { $sort: { _id: 1 } },
      { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'who' } },
      { $project: { _id: 1, names: '$who.name' } },
    ]);
    expect(joined).toEqual([
      { _id: 1, names: ['Ann'] },
      { _id: 2, names: ['Ben'] },
      { _id: 3, names: ['Ann'] },
      { _id: 4, names: ['Cid'] },
      { _id: 5, names: [] },
    ]);
    const piped = await run([
      { $match: { _id: 2 } },
      {
        $lookup: {
          from: 'customers',
          let: { c: '$customer' },
          pipeline: [
            { $match: { $expr: { $ne: ['$_id', '$$c'] } } },
            { $project: { _id: 1 } },
            { $sort: { _id: 1 } },
          ],
          as: 'others',
        },
      },
      { $project: { others: 1 } },
    ]);
    expect(piped).toEqual([{ _id: 2, others: [{ _id: 'c1' }, { _id: 'c3' }] }]);
  });

  it('$lookup with an array local field matches each element', async () => {
    await db.collection<AnyDoc>('teams').insertOne({ _id: 't', members: ['c1', 'c3', 'nobody'] });
    const [team] = await db
      .collection<AnyDoc>('teams')
      .aggregate<AnyDoc>([
        { $lookup: { from: 'customers', localField: 'members', foreignField: '_id', as: 'people' } },
        { $project: { names: '$people.name' } },
      ])
      .toArray();
    expect((team?.names as string[]).sort()).toEqual(['Ann', 'Cid']);
  });

  it('$unwind treats a scalar as a one-element array', async () => {
    await db.collection<AnyDoc>('scalars').insertOne({ _id: 1, v: 'one' });
    const docs = await db
      .collection<AnyDoc>('scalars')
      .aggregate<AnyDoc>([{ $unwind: '$v' }])
      .toArray();
    expect(docs).toEqual([{ _id: 1, v: 'one' }]);
  });

  it('$sum of 32-bit integers that overflows returns a 64-bit integer', async () => {
    await db.collection<AnyDoc>('big_sums').insertMany([
      { _id: 1, v: 2_000_000_000 },
      { _id: 2, v: 2_000_000_000 },
    ]);
    const [result] = await db
      .collection<AnyDoc>('big_sums')
      .aggregate<AnyDoc>([{ $group: { _id: null, total: { $sum: '$v' } } }], { promoteLongs: false })
      .toArray();
    expect(result?.total).toBeInstanceOf(Long);
    expect(String(result?.total)).toBe('4000000000');
  });

  it('$facet runs sub-pipelines on the same input', async () => {
    const [facets] = await run([
      {
        $facet: {
          cheap: [{ $match: { price: { $lte: 2 } } }, { $count: 'n' }],
          items: [{ $group: { _id: '$item' } }, { $sort: { _id: 1 } }],
        },
      },
    ]);
    expect(facets).toEqual({ cheap: [{ n: 2 }], items: [{ _id: 'ink' }, { _id: 'pad' }, { _id: 'pen' }] });
  });

  it('$count and $sortByCount', async () => {
    expect(await run([{ $match: { item: 'ink' } }, { $count: 'inks' }])).toEqual([{ inks: 2 }]);
    const counted = await run([{ $unwind: '$tags' }, { $sortByCount: '$tags' }]);
    expect(counted[0]).toEqual({ _id: 'office', count: 3 });
    expect(counted).toHaveLength(3);
  });

  it('$count over no input returns no document', async () => {
    expect(await run([{ $match: { item: 'nothing' } }, { $count: 'n' }])).toEqual([]);
  });

  it('$replaceRoot refuses a new root that is not a document', async () => {
    await expectRejection(run([{ $replaceRoot: { newRoot: '$item' } }]));
  });

  it('$replaceRoot promotes an embedded document', async () => {
    const result = await run([
      { $match: { _id: 1 } },
      { $replaceRoot: { newRoot: { item: '$item', info: { q: '$qty' } } } },
      { $replaceRoot: { newRoot: '$info' } },
    ]);
    expect(result).toEqual([{ q: 10 }]);
  });

  it('returns an empty result for a missing collection', async () => {
    expect(
      await db
        .collection<AnyDoc>('nothing_here')
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });

  it('refuses an unknown stage', async () => {
    await expectRejection(run([{ $noSuchStage: {} }]));
  });

  it('refuses an unknown $group accumulator (15952) and an unknown query operator in $match (2)', async () => {
    await expectServerError(run([{ $group: { _id: null, x: { $noSuchAccumulator: '$qty' } } }]), 15952);
    await expectServerError(run([{ $match: { qty: { $noSuchOperator: 1 } } }]), 2);
  });

  it('refuses a $group field that is not one accumulator (40234, 40238)', async () => {
    await expectServerError(run([{ $group: { _id: null, x: 1 } }]), 40234);
    await expectServerError(run([{ $group: { _id: null, x: { $sum: 1, $max: '$qty' } } }]), 40238);
  });

  it('refuses an unknown expression operator with InvalidPipelineOperator (168)', async () => {
    await expectServerError(run([{ $project: { x: { $noSuchOperator: ['$price'] } } }]), 168);
  });

  // MongoDB runs these when JavaScript is enabled; the embedded server must never run code it receives.
  it.skipIf(usingRealMongoDB)('refuses server-side JavaScript ($function, $accumulator)', async () => {
    await expectRejection(
      run([
        { $addFields: { x: { $function: { body: 'function () { return 1; }', args: [], lang: 'js' } } } },
      ]),
    );
    await expectRejection(
      run([
        {
          $group: {
            _id: null,
            x: {
              $accumulator: {
                init: 'function () { return 0; }',
                accumulate: 'function (s) { return s; }',
                accumulateArgs: [],
                merge: 'function (a) { return a; }',
                lang: 'js',
              },
            },
          },
        },
      ]),
    );
  });

  it('refuses a pipeline that is not an array of single-key stages', async () => {
    await expectRejection(
      db.command({ aggregate: 'orders', pipeline: [{ $match: {}, $limit: 1 }], cursor: {} }),
    );
  });
});
