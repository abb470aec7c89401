import { Double, Int32, Long, ObjectId } from 'bson';
import { describe, expect, test } from 'vitest';
import { MongoServerError } from '../../src/embedded/engine/index';
import { freshEngine } from './engine-fixture';

function seeded() {
  const e = freshEngine();
  e.insert(
    'db',
    'orders',
    [
      { _id: 1, cust: 'a', qty: new Int32(2), price: new Double(1.5), tags: ['x', 'y'] },
      { _id: 2, cust: 'b', qty: new Int32(1), price: new Double(10), tags: ['x'] },
      { _id: 3, cust: 'a', qty: new Int32(5), price: new Double(2), tags: [] },
    ],
    true,
  );
  e.insert(
    'db',
    'customers',
    [
      { _id: 'a', name: 'Ann' },
      { _id: 'b', name: 'Bob' },
    ],
    true,
  );
  return e;
}

describe('aggregation', () => {
  test('$match $group $sort with exact result types ($sum of Int32 stays Int32)', () => {
    const e = seeded();
    const out = e.aggregate('db', 'orders', [
      { $match: { qty: { $gte: 1 } } },
      { $group: { _id: '$cust', total: { $sum: '$qty' }, n: { $sum: 1 }, avg: { $avg: '$price' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 'a', total: new Int32(7), n: new Int32(2), avg: new Double(1.75) },
      { _id: 'b', total: new Int32(1), n: new Int32(1), avg: new Double(10) },
    ]);
  });

  test('$group results take MongoDB types from the exact inputs', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'g',
      [
        { k: 1, d: new Double(1.5), l: Long.fromNumber(1), i: new Int32(2147483647), m: new Int32(3) },
        { k: 1, d: new Double(1.5), l: Long.fromNumber(2), i: new Int32(1), m: new Double(3) },
      ],
      true,
    );
    const [out] = e.aggregate('db', 'g', [
      {
        $group: {
          _id: '$k',
          d: { $sum: '$d' },
          l: { $sum: '$l' },
          i: { $sum: '$i' },
          a: { $avg: '$l' },
          lo: { $min: '$m' },
          hi: { $max: '$l' },
        },
      },
    ]);
    expect(out).toEqual({
      _id: new Int32(1),
      d: new Double(3),
      l: Long.fromNumber(3),
      i: Long.fromNumber(2147483648),
      a: new Double(1.5),
      lo: new Int32(3),
      hi: Long.fromNumber(2),
    });
  });

  test('$project/$addFields/$unset keep exact types of passed-through fields', () => {
    const e = seeded();
    const [doc] = e.aggregate('db', 'orders', [
      { $match: { _id: 2 } },
      { $addFields: { cost: { $multiply: ['$qty', '$price'] } } },
      { $unset: 'tags' },
      { $project: { cust: 0 } },
    ]);
    expect(doc).toEqual({ _id: new Int32(2), qty: new Int32(1), price: new Double(10), cost: new Int32(10) });
  });

  test('$unwind $count $sortByCount $skip $limit $replaceRoot $facet', () => {
    const e = seeded();
    expect(e.aggregate('db', 'orders', [{ $unwind: '$tags' }, { $count: 'n' }])).toEqual([
      { n: new Int32(3) },
    ]);
    expect(e.aggregate('db', 'orders', [{ $unwind: '$tags' }, { $sortByCount: '$tags' }])).toEqual([
      { _id: 'x', count: new Int32(2) },
      { _id: 'y', count: new Int32(1) },
    ]);
    expect(
      e.aggregate('db', 'orders', [
        { $sort: { _id: -1 } },
        { $skip: 1 },
        { $limit: 1 },
        { $replaceRoot: { newRoot: { c: '$cust' } } },
      ]),
    ).toEqual([{ c: 'b' }]);
    const [facets] = e.aggregate('db', 'orders', [
      { $facet: { count: [{ $count: 'n' }], first: [{ $limit: 1 }, { $project: { _id: 1 } }] } },
    ]);
    expect(facets).toEqual({ count: [{ n: new Int32(3) }], first: [{ _id: new Int32(1) }] });
  });

  test('$count over no input emits no document', () => {
    const e = seeded();
    expect(e.aggregate('db', 'orders', [{ $match: { cust: 'nobody' } }, { $count: 'n' }])).toEqual([]);
  });

  test('$lookup resolves a collection of the same database', () => {
    const e = seeded();
    const out = e.aggregate('db', 'orders', [
      { $match: { _id: 2 } },
      { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
      { $project: { _id: 0, name: { $first: '$customer.name' } } },
    ]);
    expect(out).toEqual([{ name: 'Bob' }]);
  });

  test('$sort in a pipeline uses MongoDB type order', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'm',
      [
        { _id: 1, v: true },
        { _id: 2, v: new ObjectId() },
        { _id: 3, v: 's' },
        { _id: 4, v: Long.fromNumber(1) },
      ],
      true,
    );
    const out = e.aggregate('db', 'm', [{ $sort: { v: 1 } }, { $project: { _id: 1 } }]);
    expect(out.map((d) => (d._id as Int32).value)).toEqual([4, 3, 2, 1]);
  });

  test('unknown stages and expression operators are refused with MongoDB codes', () => {
    const e = seeded();
    const codeOf = (pipeline: Record<string, unknown>[]) => {
      try {
        e.aggregate('db', 'orders', pipeline);
      } catch (err) {
        return (err as MongoServerError).code;
      }
      return undefined;
    };
    expect(codeOf([{ $noSuchStage: {} }])).toBe(40324);
    expect(codeOf([{ $project: { x: { $noSuchOperator: ['$price'] } } }])).toBe(168);
  });

  test('$out, $merge, $function and $accumulator are refused', () => {
    const e = seeded();
    for (const pipeline of [
      [{ $out: 'x' }],
      [{ $merge: { into: 'x' } }],
      [{ $addFields: { f: { $function: { body: 'function(){}', args: [], lang: 'js' } } } }],
      [{ $group: { _id: null, a: { $accumulator: {} } } }],
    ]) {
      let err: unknown;
      try {
        e.aggregate('db', 'orders', pipeline);
      } catch (x) {
        err = x;
      }
      expect(err).toBeInstanceOf(MongoServerError);
    }
  });
});
