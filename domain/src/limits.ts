/** Limits shared by browser and servers. Changing one changes what both sides accept. */
export const LIMITS = {
  /** socket.io's maxHttpBufferSize: the largest event payload the server reads. */
  socketMaxPayloadBytes: 64 * 1024,
  /** The largest Yjs sync frame the sync endpoint reads. */
  syncMaxFrameBytes: 4 * 1024 * 1024,
  /**
   * The largest stored document (snapshot plus the updates logged after it): an update that would pass it is
   * refused (close code 4413). Below MongoDB's 16 MB record limit, which a snapshot or a version must fit in.
   */
  syncMaxDocumentBytes: 8 * 1024 * 1024,
  /**
   * The largest HTTP request body the web app reads: a join application carries two annual reports of at
   * most 10 MB each plus its form fields. Keep the reverse proxy's limit (docs/operations.md) at least this.
   */
  httpMaxBodyBytes: 25 * 1024 * 1024,
} as const;
