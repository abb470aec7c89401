import type { OpenApiArea } from './area';

/** The staff endpoints of `/api/v1`. */
export const staffApi: OpenApiArea = { schemas: {}, paths: {} };
