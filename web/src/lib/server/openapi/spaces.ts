import type { OpenApiArea } from './area';

/** The spaces endpoints of `/api/v1`. */
export const spacesApi: OpenApiArea = { schemas: {}, paths: {} };
