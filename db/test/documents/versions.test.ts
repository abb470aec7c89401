import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeVersionCursor, type DocumentVersionSummary } from '@cope/domain';
import { createVersion, InvalidVersionPageError, listVersions } from '../../src/documents/versions';
import { models } from '../../src/models/index';
import { startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t.close();
});

const state = Y.encodeStateAsUpdate(new Y.Doc());
const base = Date.UTC(2026, 0, 1);

/** Every page of a document's versions, following `next` until it is null. */
async function allPages(documentId: string, limit: number): Promise<DocumentVersionSummary[][]> {
  const pages: DocumentVersionSummary[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await listVersions(t.conn, documentId, { before, limit });
    pages.push(page.versions);
    if (page.next === null) return pages;
    before = page.next;
    expect(pages.length).toBeLessThan(1000);
  }
}

describe('document versions in pages', () => {
  const documentId = 'doc-paged';
  const made: DocumentVersionSummary[] = [];

  beforeAll(async () => {
    // 120 versions, four in each millisecond, made in a shuffled order so that ids (which grow as they are
    // made) do not follow the creation times: only the (createdAt, id) order can page them right.
    const order = Array.from({ length: 120 }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7919 + 13) % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      made.push(
        await createVersion(t.conn, {
          documentId,
          kind: i % 10 === 0 ? 'named' : 'auto',
          name: i % 10 === 0 ? `v${i}` : null,
          state,
          editors: [],
          createdBy: null,
          at: new Date(base + Math.floor(i / 4)),
        }),
      );
    }
    // Another document's versions, at the same moments, must never show.
    await createVersion(t.conn, {
      documentId: 'doc-other',
      kind: 'auto',
      state,
      editors: [],
      createdBy: null,
      at: new Date(base),
    });
  });

  const newestFirst = () =>
    [...made].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );

  it('pages through every version exactly once, newest first, across ties in the same millisecond', async () => {
    for (const limit of [7, 4, 1, 200]) {
      const pages = await allPages(documentId, limit);
      const seen = pages.flat();
      expect(seen.map((v) => v.id)).toEqual(newestFirst().map((v) => v.id));
      expect(new Set(seen.map((v) => v.id)).size).toBe(120);
      expect(pages.length).toBe(Math.ceil(120 / limit));
      for (const page of pages.slice(0, -1)) expect(page.length).toBe(limit);
    }
  });

  it('gives 50 by default, and no next page once the last version is shown', async () => {
    const first = await listVersions(t.conn, documentId);
    expect(first.versions).toHaveLength(50);
    expect(first.next).not.toBeNull();
    const exact = await listVersions(t.conn, documentId, { limit: 120 });
    expect(exact.versions).toHaveLength(120);
    expect(exact.next).toBeNull();
    const none = await listVersions(t.conn, 'doc-without-versions');
    expect(none).toEqual({ versions: [], next: null });
  });

  it('starts strictly after the version a cursor names, even one made in the same millisecond', async () => {
    const all = newestFirst();
    const named = all[41] as DocumentVersionSummary;
    const cursor = encodeVersionCursor({ createdAt: new Date(named.createdAt), id: named.id });
    const page = await listVersions(t.conn, documentId, { before: cursor, limit: 3 });
    expect(page.versions.map((v) => v.id)).toEqual(all.slice(42, 45).map((v) => v.id));
  });

  it('refuses a malformed cursor or a limit out of range with a clear error naming the field', async () => {
    for (const before of [
      '',
      'not-a-cursor',
      'ZZ' + '0'.repeat(34),
      '0'.repeat(37),
      '00000000000' + 'g'.repeat(25),
    ]) {
      const refused = await listVersions(t.conn, documentId, { before }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidVersionPageError);
      expect((refused as InvalidVersionPageError).field).toBe('before');
    }
    for (const limit of [0, 201, 2.5, Number.NaN]) {
      const refused = await listVersions(t.conn, documentId, { limit }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidVersionPageError);
      expect((refused as InvalidVersionPageError).field).toBe('limit');
    }
    expect((await listVersions(t.conn, documentId, { limit: 200 })).versions).toHaveLength(120);
  });

  it('keeps an index that serves the pages (document, then time and id, newest first)', async () => {
    const { DocumentVersion } = models(t.conn);
    await DocumentVersion.init();
    const indexes = (await DocumentVersion.collection.listIndexes().toArray()) as { key: unknown }[];
    expect(indexes.map((index) => index.key)).toContainEqual({
      documentId: 1,
      createdAt: -1,
      _id: -1,
    });
  });
});
