/** Wire-protocol numbers and the limits the embedded server advertises (the same as MongoDB 7.0's). */

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const HEADER_LENGTH = 16;

/** Largest BSON document a client may store (16 MiB). */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
/** Largest wire message, in bytes, header included. Longer declared lengths close the connection. */
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;
/** A command body may exceed a stored document by this much (MongoDB's BSONObjMaxInternalSize). */
export const COMMAND_BODY_SLACK = 16 * 1024;

export const SERVER_VERSION = '7.0.0';
export const SERVER_VERSION_ARRAY = [7, 0, 0, 0] as const;
export const MIN_WIRE_VERSION = 0;
export const MAX_WIRE_VERSION = 21;
export const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

/** OP_MSG flag bits. */
export const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a receiver must refuse a message with a bit it does not know. */
export const REQUIRED_FLAGS_MASK = 0xffff;
export const KNOWN_REQUIRED_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME;

/** Default cursor batch sizes and the reply size cap of one batch. */
export const DEFAULT_FIRST_BATCH_SIZE = 101;
export const MAX_BATCH_BYTES = MAX_BSON_OBJECT_SIZE;
export const DEFAULT_CURSOR_TIMEOUT_MS = 10 * 60 * 1000;
