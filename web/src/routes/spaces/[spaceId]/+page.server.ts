import { redirect } from '@sveltejs/kit';
import {
  createDocumentSchema,
  createFolderSchema,
  DOCUMENT_TITLE_MAX_LENGTH,
  TRASH_RETENTION_DAYS,
  updateDocumentNodeSchema,
} from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { buildTree, folderChoices } from '$lib/components/spaces/tree';
import { notFound, requireSpacesPerson } from '$lib/components/spaces/server/access';
import { done, fieldErrors, formText, invalid, readForm, refused } from '$lib/components/spaces/server/forms';
import type { Actions, PageServerLoad } from './$types';

const titleError = { key: 'spaces.errors.title', params: { max: DOCUMENT_TITLE_MAX_LENGTH } } as const;

export const load: PageServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const { spaces } = appContext();
  const [tree, members] = await Promise.all([
    spaces.listTree(actor, event.params.spaceId),
    spaces.listMembers(actor, event.params.spaceId),
  ]);
  if (!tree.ok || !members.ok) notFound();
  const nodes = buildTree(tree.value);
  return {
    nodes,
    folders: folderChoices(nodes),
    members: members.value.map((m) => ({
      type: m.kind === 'organisation' ? ('organisation' as const) : ('person' as const),
      id: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      isYou: m.userId === actor.userId,
    })),
  };
};

export const actions: Actions = {
  createDocument: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const values = {
      title: formText(form, 'title'),
      template: formText(form, 'template'),
      parentId: formText(form, 'parentId'),
    };
    const parsed = createDocumentSchema.safeParse({
      title: values.title,
      template: values.template === '' ? undefined : values.template,
      parentId: values.parentId === '' ? null : values.parentId,
    });
    if (!parsed.success) {
      return invalid(
        'createDocument',
        fieldErrors(parsed.error, {
          title: { field: 'doc-title', message: titleError },
          template: { field: 'doc-template-research-protocol', message: { key: 'spaces.errors.template' } },
          parentId: { field: 'doc-folder', message: { key: 'spaces.errors.folder' } },
        }),
        values,
      );
    }
    const result = await appContext().spaces.createDocument(actor, {
      ...parsed.data,
      spaceId: event.params.spaceId,
      // Template headings in the language the person is reading the page in.
      locale: event.locals.locale,
    });
    if (!result.ok) return refused('createDocument', result.error, values);
    redirect(
      303,
      `/spaces/${encodeURIComponent(event.params.spaceId)}/documents/${encodeURIComponent(result.value.id)}`,
    );
  },

  createFolder: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const values = { title: formText(form, 'title'), parentId: formText(form, 'parentId') };
    const parsed = createFolderSchema.safeParse({
      title: values.title,
      parentId: values.parentId === '' ? null : values.parentId,
    });
    if (!parsed.success) {
      return invalid(
        'createFolder',
        fieldErrors(parsed.error, {
          title: { field: 'folder-title', message: titleError },
          parentId: { field: 'folder-parent', message: { key: 'spaces.errors.folder' } },
        }),
        values,
      );
    }
    const result = await appContext().spaces.createFolder(actor, event.params.spaceId, parsed.data);
    if (!result.ok) return refused('createFolder', result.error, values);
    return done('createFolder', {
      key: 'spaces.documents.folderCreated',
      params: { title: result.value.title },
    });
  },

  rename: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const nodeId = formText(form, 'nodeId');
    const values = { title: formText(form, 'title') };
    const parsed = updateDocumentNodeSchema.safeParse({ title: values.title });
    if (!parsed.success) {
      return invalid(`rename-${nodeId}`, [{ field: `rename-${nodeId}`, message: titleError }], values);
    }
    const result = await appContext().spaces.updateDocumentNode(actor, nodeId, parsed.data);
    if (!result.ok) return refused(`rename-${nodeId}`, result.error, values);
    return done('rename', { key: 'spaces.documents.renamed', params: { title: result.value.title } });
  },

  move: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const nodeId = formText(form, 'nodeId');
    const values = { parentId: formText(form, 'parentId') };
    const parsed = updateDocumentNodeSchema.safeParse({
      parentId: values.parentId === '' ? null : values.parentId,
    });
    if (!parsed.success) {
      return invalid(
        `move-${nodeId}`,
        [{ field: `move-${nodeId}`, message: { key: 'spaces.errors.folder' } }],
        values,
      );
    }
    const result = await appContext().spaces.updateDocumentNode(actor, nodeId, parsed.data);
    if (!result.ok) return refused(`move-${nodeId}`, result.error, values);
    return done('move', { key: 'spaces.documents.moved', params: { title: result.value.title } });
  },

  trash: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const nodeId = formText(form, 'nodeId');
    const result = await appContext().spaces.trashDocumentNode(actor, nodeId);
    if (!result.ok) return refused('trash', result.error);
    return done('trash', {
      key: 'spaces.documents.trashed',
      params: { title: result.value.title, days: TRASH_RETENTION_DAYS },
    });
  },
};
