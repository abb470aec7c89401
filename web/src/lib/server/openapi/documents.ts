import type { OpenApiArea } from './area';

/** The documents endpoints of `/api/v1`. */
export const documentsApi: OpenApiArea = { schemas: {}, paths: {} };
