/**
 * The y-websocket wire protocol: every frame starts with a varuint message type.
 * Shared by the sync room (which speaks it) and the tests (which check it).
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** y-protocols/sync's inner message types, after MESSAGE_SYNC. */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;
