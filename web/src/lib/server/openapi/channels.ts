import type { OpenApiArea } from './area';

/** The channels endpoints of `/api/v1`. */
export const channelsApi: OpenApiArea = { schemas: {}, paths: {} };
