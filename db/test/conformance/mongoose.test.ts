/**
 * Mongoose 9 with real models, unchanged: unique and TTL indexes through syncIndexes, validation,
 * findOneAndUpdate, lean() and populate.
 */
import mongoose, { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRejection, startTestDatabase, type TestDatabase } from '../helpers';

const userSchema = new Schema({
  email: { type: String, required: true, unique: true, lowercase: true, trim: true },
  name: { type: String, required: true, minlength: 1 },
  age: { type: Number, min: 0 },
  createdAt: { type: Date, default: () => new Date() },
});

const sessionSchema = new Schema({
  token: { type: String, required: true, unique: true },
  user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  // A TTL index: MongoDB removes the session 3600 s after lastSeenAt.
  lastSeenAt: { type: Date, required: true, expires: 3600 },
});

const postSchema = new Schema({
  title: { type: String, required: true },
  author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  tags: [String],
});

const docSchema = new Schema(
  {
    space: { type: String, required: true },
    slug: { type: String, required: true },
    state: { type: Buffer },
    amount: { type: Schema.Types.Decimal128 },
    meta: { type: Map, of: String },
  },
  { timestamps: true },
);
docSchema.index({ space: 1, slug: 1 }, { unique: true });

type User = InferSchemaType<typeof userSchema>;
type Doc = InferSchemaType<typeof docSchema>;
type Session = InferSchemaType<typeof sessionSchema>;
type Post = InferSchemaType<typeof postSchema>;

let tdb: TestDatabase;
let connection: Connection;
let Users: Model<User>;
let Sessions: Model<Session>;
let Posts: Model<Post>;
let Docs: Model<Doc>;

beforeAll(async () => {
  tdb = await startTestDatabase();
  connection = await mongoose.createConnection(tdb.url, { dbName: tdb.dbName, autoIndex: false }).asPromise();
  Users = connection.model<User>('User', userSchema);
  Sessions = connection.model<Session>('Session', sessionSchema);
  Posts = connection.model<Post>('Post', postSchema);
  await Users.syncIndexes();
  await Sessions.syncIndexes();
  await Posts.syncIndexes();
  Docs = connection.model<Doc>('Doc', docSchema);
  await Docs.syncIndexes();
});

afterAll(async () => {
  await connection.close();
  await tdb.close();
});

interface MongoLikeError {
  name: string;
  code?: number;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
}

describe('mongoose models', () => {
  it('creates the unique and TTL indexes with syncIndexes', async () => {
    const userIndexes = (await Users.listIndexes()) as { name: string }[];
    expect(userIndexes.find((i) => i.name === 'email_1')).toMatchObject({ key: { email: 1 }, unique: true });
    const sessionIndexes = (await Sessions.listIndexes()) as { name: string }[];
    expect(sessionIndexes.find((i) => i.name === 'lastSeenAt_1')).toMatchObject({ expireAfterSeconds: 3600 });
    expect(sessionIndexes.find((i) => i.name === 'token_1')).toMatchObject({ unique: true });
    // A second sync finds nothing to change.
    expect(await Users.syncIndexes()).toEqual([]);
  });

  it('creates and finds documents', async () => {
    const ada = await Users.create({ email: '  Ada@Example.org ', name: 'Ada', age: 36 });
    expect(ada.email).toBe('ada@example.org');
    const found = await Users.findOne({ email: 'ada@example.org' });
    expect(found?._id.equals(ada._id)).toBe(true);
    expect(found?.name).toBe('Ada');
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(await Users.countDocuments()).toBe(1);
  });

  it('raises MongoServerError 11000 on a duplicate unique value', async () => {
    await Users.create({ email: 'dup@example.org', name: 'First' });
    const error = (await expectRejection(
      Users.create({ email: 'dup@example.org', name: 'Second' }),
    )) as Error & MongoLikeError;
    expect(error.name).toBe('MongoServerError');
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ email: 'dup@example.org' });
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(await Users.countDocuments({ email: 'dup@example.org' })).toBe(1);
  });

  it('validates before writing', async () => {
    const error = await expectRejection(Users.create({ email: 'neg@example.org', name: 'Neg', age: -1 }));
    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(await Users.countDocuments({ email: 'neg@example.org' })).toBe(0);
  });

  it('findOneAndUpdate returns the updated document and upserts', async () => {
    await Users.create({ email: 'fu@example.org', name: 'Old' });
    const updated = await Users.findOneAndUpdate(
      { email: 'fu@example.org' },
      { $set: { name: 'New' }, $inc: { age: 1 } },
      { returnDocument: 'after', runValidators: true },
    );
    expect(updated?.name).toBe('New');
    expect(updated?.age).toBe(1);
    const upserted = await Users.findOneAndUpdate(
      { email: 'up@example.org' },
      { $set: { name: 'Ups' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted?.email).toBe('up@example.org');
    expect(upserted?.name).toBe('Ups');
  });

  it('lean() returns plain objects with ObjectIds', async () => {
    await Users.create({ email: 'lean@example.org', name: 'Lean' });
    const lean = await Users.findOne({ email: 'lean@example.org' }).lean();
    expect(lean).not.toBeNull();
    expect(lean?._id).toBeInstanceOf(mongoose.Types.ObjectId);
    expect(Object.getPrototypeOf(lean)).toBe(Object.prototype);
    expect(lean?.name).toBe('Lean');
  });

  it('populates references', async () => {
    const author = await Users.create({ email: 'author@example.org', name: 'Author' });
    await Posts.create([
      { title: 'One', author: author._id, tags: ['a'] },
      { title: 'Two', author: author._id, tags: ['b', 'c'] },
    ]);
    const posts = await Posts.find({ author: author._id })
      .sort({ title: 1 })
      .populate<{ author: User }>('author', 'name email')
      .lean();
    expect(posts.map((p) => p.title)).toEqual(['One', 'Two']);
    expect(posts[0]?.author.name).toBe('Author');
    expect(posts[1]?.author.email).toBe('author@example.org');
    expect(posts[1]?.tags).toEqual(['b', 'c']);
  });

  it('keeps a session with a TTL field and a reference', async () => {
    const user = await Users.create({ email: 'sess@example.org', name: 'Sess' });
    await Sessions.create({ token: 't1', user: user._id, lastSeenAt: new Date() });
    const error = (await expectRejection(
      Sessions.create({ token: 't1', user: user._id, lastSeenAt: new Date() }),
    )) as Error & MongoLikeError;
    expect(error.code).toBe(11000);
    const session = await Sessions.findOne({ token: 't1' }).populate<{ user: User }>('user');
    expect(session?.user.email).toBe('sess@example.org');
  });

  it('keeps Buffer, Decimal128 and Map fields and sets timestamps', async () => {
    const state = Buffer.from([0, 1, 2, 3, 254, 255]);
    const created = await Docs.create({
      space: 's',
      slug: 'one',
      state,
      amount: mongoose.Types.Decimal128.fromString('10.25'),
      meta: new Map([['k', 'v']]),
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    const found = await Docs.findById(created._id);
    expect(Buffer.from(found?.state ?? [])).toEqual(state);
    expect(found?.amount?.toString()).toBe('10.25');
    expect(found?.meta?.get('k')).toBe('v');
    await Docs.updateOne({ _id: created._id }, { $set: { slug: 'renamed' } });
    const updated = await Docs.findById(created._id).lean();
    expect(updated?.updatedAt.getTime()).toBeGreaterThanOrEqual(updated?.createdAt.getTime() ?? Infinity);
  });

  it('insertMany unordered reports a duplicate on a compound unique index and keeps the others', async () => {
    const error = (await expectRejection(
      Docs.insertMany(
        [
          { space: 'm', slug: 'a' },
          { space: 'm', slug: 'a' },
          { space: 'm', slug: 'b' },
        ],
        { ordered: false },
      ),
    )) as Error & MongoLikeError;
    expect(error.code).toBe(11000);
    expect(await Docs.countDocuments({ space: 'm' })).toBe(2);
  });

  it('aggregates through the model', async () => {
    await Docs.create([
      { space: 'agg', slug: 'x' },
      { space: 'agg', slug: 'y' },
    ]);
    const result = await Docs.aggregate<{ _id: string; n: number }>([
      { $match: { space: 'agg' } },
      { $group: { _id: '$space', n: { $sum: 1 } } },
    ]);
    expect(result).toEqual([{ _id: 'agg', n: 2 }]);
  });

  it('deletes documents', async () => {
    await Users.create({ email: 'gone@example.org', name: 'Gone' });
    const result = await Users.deleteOne({ email: 'gone@example.org' });
    expect(result.deletedCount).toBe(1);
    expect(await Users.exists({ email: 'gone@example.org' })).toBeNull();
  });
});
