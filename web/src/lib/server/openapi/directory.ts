import type { OpenApiArea } from './area';

/** The directory endpoints of `/api/v1`. */
export const directoryApi: OpenApiArea = { schemas: {}, paths: {} };
