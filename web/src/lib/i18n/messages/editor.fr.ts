import type { AreaCatalog } from './catalog';
import type { editorEn } from './editor.en';

/** French: The document editor: saving status, presence, version history, export and import. */
export const editorFr: AreaCatalog<typeof editorEn> = {};
