/**
 * The document tree: templates are valid Yjs with the expected headings in the creator's language;
 * rename and move (no cycles, same space); trash with a folder's contents, restore, purge after 30 days with
 * the stored content; archived spaces are read-only; edits and opens feed the home.
 */
import { LIMITS, TRASH_RETENTION_DAYS } from '@cope/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadDocumentState } from '../../src/documents/store';
import { models } from '../../src/models/index';
import { documentAccessOf } from '../../src/spaces/access';
import { onSpaceAccessChange, type SpaceAccessChange } from '../../src/spaces/access-events';
import { markDocumentEdited, recordDocumentOpened } from '../../src/spaces/activity';
import {
  createDocument,
  createFolder,
  getDocument,
  listTrash,
  listTree,
  restoreDocumentNode,
  trashDocumentNode,
  updateDocumentNode,
} from '../../src/spaces/documents';
import { homeFor } from '../../src/spaces/home';
import { addMember } from '../../src/spaces/members';
import { purgeTrash } from '../../src/spaces/purge';
import { archiveSpace, restoreSpace } from '../../src/spaces/spaces';
import { templateHeadings } from '../../src/spaces/templates';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';
import { person, space, type TestPerson } from './fixtures';

let t: MongooseTestDatabase;
let staff: TestPerson;

beforeAll(async () => {
  t = await startMongooseDatabase();
  staff = await person(t.conn, 'staff');
});
afterAll(async () => {
  await t?.close();
});

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value;
}

/** The headings and node names of a stored document, read back through a fresh Y.Doc. */
async function storedOutline(documentId: string): Promise<{ headings: string[]; nodes: string[] }> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await loadDocumentState(t.conn, documentId));
  const fragment = doc.getXmlFragment('default');
  const nodes = fragment.toArray().map((n) => (n instanceof Y.XmlElement ? n.nodeName : 'text'));
  const headings = fragment
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'heading')
    .map((h) => {
      expect(h.getAttribute('level')).toBe(2);
      const parts: (Y.XmlElement | Y.XmlText | Y.XmlHook)[] = h.toArray();
      return parts.map((x) => (x instanceof Y.XmlText ? x.toJSON() : '')).join('');
    });
  doc.destroy();
  return { headings, nodes };
}

describe('templates', () => {
  it('stores a research protocol as valid Yjs with its six sections, in the creator’s language', async () => {
    const owner = await person(t.conn, 'member', { locale: 'fr' });
    const id = await space(t.conn, staff, owner);
    const fr = unwrap(
      await createDocument(t.conn, owner, { spaceId: id, title: 'Protocole', template: 'research-protocol' }),
    );
    const outline = await storedOutline(fr.id);
    expect(outline.headings).toEqual([
      'Contexte',
      'Questions de recherche',
      'Méthodes',
      'Éthique et consentement',
      'Pays et partenaires',
      'Calendrier',
    ]);
    expect(outline.headings).toEqual(templateHeadings('research-protocol', 'fr'));
    expect(outline.nodes).toContain('table');

    const en = unwrap(
      await createDocument(t.conn, owner, {
        spaceId: id,
        title: 'Plan',
        template: 'project-plan',
        locale: 'en',
      }),
    );
    expect((await storedOutline(en.id)).headings).toEqual([
      'Objectives',
      'Partners',
      'Work packages',
      'Milestones',
      'Risks',
    ]);

    const notes = unwrap(
      await createDocument(t.conn, owner, { spaceId: id, title: 'Notes', template: 'meeting-notes' }),
    );
    expect((await storedOutline(notes.id)).nodes).toContain('taskList');
    const blank = unwrap(await createDocument(t.conn, owner, { spaceId: id, title: 'Empty' }));
    expect(blank.template).toBe('blank');
    expect((await storedOutline(blank.id)).nodes).toEqual([]);
  });

  it('stores imported content as given', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const source = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, 'imported');
    p.insert(0, [text]);
    source.getXmlFragment('default').insert(0, [p]);
    const doc = unwrap(
      await createDocument(t.conn, owner, {
        spaceId: id,
        title: 'Import',
        initialState: Y.encodeStateAsUpdate(source),
      }),
    );
    expect(doc.template).toBeNull();
    const back = new Y.Doc();
    Y.applyUpdate(back, await loadDocumentState(t.conn, doc.id));
    expect(back.getXmlFragment('default').toJSON()).toBe('<paragraph>imported</paragraph>');
  });

  it('refuses imports over the document size limit and throws on content that is not Yjs', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const huge = new Uint8Array(LIMITS.syncMaxDocumentBytes + 1);
    expect(await createDocument(t.conn, owner, { spaceId: id, title: 'Huge', initialState: huge })).toEqual({
      ok: false,
      error: 'too-large',
    });
    await expect(
      createDocument(t.conn, owner, {
        spaceId: id,
        title: 'Garbage',
        initialState: Uint8Array.from([9, 9, 9, 9]),
      }),
    ).rejects.toThrow(/not a valid Yjs update/);
    expect(unwrap(await listTree(t.conn, owner, id))).toEqual([]);
  });

  it('lets editors create documents, not viewers', async () => {
    const owner = await person(t.conn);
    const viewer = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    await addMember(t.conn, owner, id, { email: viewer.email, role: 'viewer' });
    expect(await createDocument(t.conn, viewer, { spaceId: id, title: 'No' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    expect(await createFolder(t.conn, viewer, id, { title: 'No' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
  });
});

describe('the tree', () => {
  it('renames and moves within the space, and refuses cycles and other spaces’ folders', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const otherSpace = await space(t.conn, staff, owner, 'Other');
    const a = unwrap(await createFolder(t.conn, owner, id, { title: 'A' }));
    const b = unwrap(await createFolder(t.conn, owner, id, { title: 'B', parentId: a.id }));
    const c = unwrap(await createFolder(t.conn, owner, id, { title: 'C', parentId: b.id }));
    const doc = unwrap(await createDocument(t.conn, owner, { spaceId: id, title: 'Doc', parentId: c.id }));
    const foreign = unwrap(await createFolder(t.conn, owner, otherSpace, { title: 'Foreign' }));

    expect(await updateDocumentNode(t.conn, owner, a.id, { parentId: c.id })).toEqual({
      ok: false,
      error: 'cycle',
    });
    expect(await updateDocumentNode(t.conn, owner, a.id, { parentId: a.id })).toEqual({
      ok: false,
      error: 'cycle',
    });
    expect(await updateDocumentNode(t.conn, owner, doc.id, { parentId: foreign.id })).toEqual({
      ok: false,
      error: 'invalid-parent',
    });
    expect(await updateDocumentNode(t.conn, owner, doc.id, { parentId: doc.id })).toEqual({
      ok: false,
      error: 'invalid-parent',
    });

    const moved = unwrap(
      await updateDocumentNode(t.conn, owner, c.id, { parentId: null, title: 'C renamed' }),
    );
    expect(moved).toMatchObject({ parentId: null, title: 'C renamed' });
    const tree = unwrap(await listTree(t.conn, owner, id));
    expect(tree.map((n) => [n.type, n.title, n.parentId])).toEqual([
      ['folder', 'A', null],
      ['folder', 'B', a.id],
      ['folder', 'C renamed', null],
      ['document', 'Doc', c.id],
    ]);
  });

  it('trashes a folder with its contents, restores exactly them, and purges after 30 days with the content', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const events: SpaceAccessChange[] = [];
    const stop = onSpaceAccessChange((e) => events.push(e));
    const folder = unwrap(await createFolder(t.conn, owner, id, { title: 'Folder' }));
    const inside = unwrap(
      await createDocument(t.conn, owner, { spaceId: id, title: 'Inside', parentId: folder.id }),
    );
    const earlier = unwrap(
      await createDocument(t.conn, owner, { spaceId: id, title: 'Earlier', parentId: folder.id }),
    );

    unwrap(await trashDocumentNode(t.conn, owner, earlier.id));
    unwrap(await trashDocumentNode(t.conn, owner, folder.id));
    stop();
    expect(events).toEqual([
      { spaceId: id, userIds: 'all' },
      { spaceId: id, userIds: 'all' },
    ]);
    expect(unwrap(await listTree(t.conn, owner, id))).toEqual([]);
    expect(unwrap(await listTrash(t.conn, owner, id)).map((n) => n.title)).toEqual(['Folder', 'Earlier']);
    expect((await documentAccessOf(t.conn, owner.userId, inside.id))?.trashed).toBe(true);
    expect(await updateDocumentNode(t.conn, owner, inside.id, { title: 'x' })).toEqual({
      ok: false,
      error: 'trashed',
    });

    unwrap(await restoreDocumentNode(t.conn, owner, folder.id));
    expect(unwrap(await listTree(t.conn, owner, id)).map((n) => n.title)).toEqual(['Folder', 'Inside']);
    expect(unwrap(await listTrash(t.conn, owner, id)).map((n) => n.title)).toEqual(['Earlier']);

    // Purge: only what has been in the trash longer than the retention goes, content included.
    const purgeDay = new Date(Date.now() + (TRASH_RETENTION_DAYS + 1) * 24 * 3600 * 1000);
    expect(await purgeTrash(t.conn, new Date())).toEqual({ purged: 0 });
    expect((await purgeTrash(t.conn, purgeDay)).purged).toBeGreaterThanOrEqual(1);
    expect(await models(t.conn).DocumentNode.findById(earlier.id)).toBeNull();
    expect(await models(t.conn).DocumentNode.findById(inside.id)).not.toBeNull();
    const emptied = new Y.Doc();
    Y.applyUpdate(emptied, await loadDocumentState(t.conn, earlier.id));
    expect(emptied.getXmlFragment('default').length).toBe(0);
  });

  it('brings a document back to the root when its folder is still in the trash', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const folder = unwrap(await createFolder(t.conn, owner, id, { title: 'F' }));
    const doc = unwrap(await createDocument(t.conn, owner, { spaceId: id, title: 'D', parentId: folder.id }));
    unwrap(await trashDocumentNode(t.conn, owner, folder.id));
    expect(unwrap(await restoreDocumentNode(t.conn, owner, doc.id)).parentId).toBeNull();
    expect(await restoreDocumentNode(t.conn, owner, doc.id)).toEqual({ ok: false, error: 'not-trashed' });
  });
});

describe('archived spaces', () => {
  it('are read-only for everyone until staff restore them; owners cannot restore', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const doc = unwrap(await createDocument(t.conn, owner, { spaceId: id, title: 'Doc' }));
    unwrap(await archiveSpace(t.conn, owner, id));

    expect((await documentAccessOf(t.conn, owner.userId, doc.id))?.archived).toBe(true);
    expect(await createDocument(t.conn, owner, { spaceId: id, title: 'New' })).toEqual({
      ok: false,
      error: 'archived',
    });
    expect(await updateDocumentNode(t.conn, owner, doc.id, { title: 'Renamed' })).toEqual({
      ok: false,
      error: 'archived',
    });
    expect(await trashDocumentNode(t.conn, owner, doc.id)).toEqual({ ok: false, error: 'archived' });
    expect(await addMember(t.conn, owner, id, { email: staff.email, role: 'viewer' })).toEqual({
      ok: false,
      error: 'archived',
    });
    expect(unwrap(await listTree(t.conn, owner, id))).toHaveLength(1);

    expect(await restoreSpace(t.conn, owner, id)).toEqual({ ok: false, error: 'forbidden' });
    unwrap(await restoreSpace(t.conn, staff, id));
    expect(unwrap(await updateDocumentNode(t.conn, owner, doc.id, { title: 'Renamed' })).title).toBe(
      'Renamed',
    );
  });
});

describe('activity and home', () => {
  it('shows my spaces, what I opened last and what others changed since', async () => {
    const me = await person(t.conn);
    const colleague = await person(t.conn, 'member', { name: 'Colleague' });
    const id = await space(t.conn, staff, me, 'Home space');
    await addMember(t.conn, me, id, { email: colleague.email, role: 'editor' });
    const seen = unwrap(await createDocument(t.conn, me, { spaceId: id, title: 'Seen' }));
    const quiet = unwrap(await createDocument(t.conn, me, { spaceId: id, title: 'Quiet' }));

    const opened = new Date(Date.now() - 60_000);
    unwrap(await recordDocumentOpened(t.conn, me, seen.id, opened));
    unwrap(await recordDocumentOpened(t.conn, me, quiet.id, opened));
    await markDocumentEdited(t.conn, seen.id, [colleague.userId], new Date());
    await markDocumentEdited(t.conn, quiet.id, [me.userId], new Date());
    // An older report does not move the date back.
    await markDocumentEdited(t.conn, seen.id, [me.userId], new Date(Date.now() - 3_600_000));

    const home = await homeFor(t.conn, me.userId);
    expect(home.spaces.map((s) => s.title)).toEqual(['Home space']);
    expect(home.recentDocuments.map((d) => d.title).sort()).toEqual(['Quiet', 'Seen']);
    expect(home.changesSinceLastVisit.map((d) => [d.title, d.lastEditedBy?.name])).toEqual([
      ['Seen', 'Colleague'],
    ]);

    const doc = unwrap(await getDocument(t.conn, colleague, seen.id));
    expect(doc).toMatchObject({ spaceTitle: 'Home space', role: 'editor', lastEditedBy: colleague.userId });

    const outsider = await person(t.conn);
    expect(await recordDocumentOpened(t.conn, outsider, seen.id)).toEqual({ ok: false, error: 'not-found' });
    expect(await getDocument(t.conn, outsider, seen.id)).toEqual({ ok: false, error: 'not-found' });
  });
});
