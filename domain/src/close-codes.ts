/**
 * WebSocket close codes the servers use, documented in docs/protocols.md.
 * 1000-1015 are the standard's; 4000-4999 are the application's own.
 */
export const CLOSE_CODES = {
  /** The server is shutting down (SIGTERM/SIGINT): reconnect later. Standard "going away". */
  serverShutdown: 1001,
  /** A frame the server could not parse or that broke the protocol. */
  protocolError: 1002,
  /** A frame over the size limit. Standard "message too big". */
  frameTooLarge: 1009,
  /** No valid session cookie on the upgrade. */
  unauthenticated: 4401,
  /** The `Origin` header does not match `ORIGIN`. */
  forbiddenOrigin: 4403,
  /** Signed in, but without the capability to read this document (or access was just revoked). */
  forbidden: 4403,
  /** No such document (or it is not visible to this person). */
  notFound: 4404,
  /** An update would make the document larger than `LIMITS.syncMaxDocumentBytes`; it was not applied. */
  documentTooLarge: 4413,
  /** The document's stored content could not be loaded; nothing is written to it until that is fixed. */
  documentUnavailable: 4503,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
