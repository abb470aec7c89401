/**
 * Parsing of the request messages the server accepts (OP_MSG, legacy OP_QUERY) and encoding of its
 * replies (OP_MSG, OP_REPLY). Structural problems raise ProtocolError: the connection is then closed,
 * as MongoDB does, since a peer that sends malformed messages cannot be answered reliably.
 *
 * Command documents are deserialized with `promoteValues: false` so that every value reaches the engine
 * with its exact BSON type (Int32 / Double / Long / Decimal128 stay distinct).
 */
import { calculateObjectSize, deserialize, serialize, setInternalBufferSize, type Document } from 'bson';
import {
  COMMAND_BODY_SLACK,
  FLAG_CHECKSUM_PRESENT,
  FLAG_MORE_TO_COME,
  HEADER_LENGTH,
  KNOWN_REQUIRED_FLAGS,
  MAX_BSON_OBJECT_SIZE,
  OP_MSG,
  OP_REPLY,
  REQUIRED_FLAGS_MASK,
} from './constants';
import { rememberArrivedBytes } from '../engine/arrived-bytes';
import { crc32c } from './crc32c';

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface MessageHeader {
  messageLength: number;
  requestID: number;
  responseTo: number;
  opCode: number;
}

export interface OpMsgRequest {
  header: MessageHeader;
  flagBits: number;
  moreToCome: boolean;
  /** The kind-0 body with every kind-1 document sequence merged in as an array field. */
  body: Document;
}

export interface OpQueryRequest {
  header: MessageHeader;
  flags: number;
  fullCollectionName: string;
  numberToSkip: number;
  numberToReturn: number;
  query: Document;
}

const DESERIALIZE_OPTIONS = { promoteValues: false, promoteBuffers: false } as const;

export function readHeader(message: Buffer): MessageHeader {
  if (message.length < HEADER_LENGTH) throw new ProtocolError('message shorter than its header');
  return {
    messageLength: message.readInt32LE(0),
    requestID: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
  };
}

/** Reads one BSON document at `offset`, checking its declared size against the bytes available. */
function readDocument(
  buffer: Buffer,
  offset: number,
  end: number,
  maxSize: number,
): { doc: Document; size: number } {
  if (end - offset < 5) throw new ProtocolError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid BSON document size ${size}`);
  if (size > maxSize) throw new ProtocolError(`BSON document of ${size} bytes exceeds ${maxSize}`);
  const bytes = buffer.subarray(offset, offset + size);
  try {
    if (!isInsertCommand(bytes)) return { doc: deserialize(bytes, DESERIALIZE_OPTIONS), size };
    // An insert's documents are read one by one, each remembering the bytes it came in (see arrived-bytes).
    const doc = deserialize(bytes, { ...DESERIALIZE_OPTIONS, fieldsAsRaw: { documents: true } });
    if (Array.isArray(doc.documents)) doc.documents = doc.documents.map(readArrived);
    return { doc, size };
  } catch (error) {
    throw new ProtocolError(`invalid BSON: ${(error as Error).message}`);
  }
}

/** Whether the document's first field is named `insert` (a command's name is its first field). */
function isInsertCommand(bytes: Buffer): boolean {
  return bytes.length > 12 && bytes[11] === 0 && bytes.toString('latin1', 5, 11) === 'insert';
}

/** An element of a raw-read array: an embedded document comes as its bytes, anything else as its value. */
function readArrived(value: unknown): unknown {
  if (!Buffer.isBuffer(value)) return value;
  const doc = deserialize(value, DESERIALIZE_OPTIONS);
  rememberArrivedBytes(doc, value);
  return doc;
}

function readCString(buffer: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buffer.indexOf(0, offset);
  if (zero === -1 || zero >= end) throw new ProtocolError('unterminated C string');
  return { value: buffer.toString('utf8', offset, zero), next: zero + 1 };
}

export function parseOpMsg(message: Buffer): OpMsgRequest {
  const header = readHeader(message);
  if (message.length < HEADER_LENGTH + 5) throw new ProtocolError('OP_MSG too short');
  const flagBits = message.readUInt32LE(HEADER_LENGTH);
  const unknownRequired = flagBits & REQUIRED_FLAGS_MASK & ~KNOWN_REQUIRED_FLAGS;
  if (unknownRequired !== 0)
    throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${unknownRequired.toString(16)}`);

  let end = message.length;
  if (flagBits & FLAG_CHECKSUM_PRESENT) {
    if (message.length < HEADER_LENGTH + 4 + 1 + 4)
      throw new ProtocolError('OP_MSG too short for its checksum');
    end = message.length - 4;
    const expected = message.readUInt32LE(end);
    const actual = crc32c(message.subarray(0, end));
    if (expected !== actual) throw new ProtocolError('OP_MSG checksum mismatch');
  }

  let body: Document | undefined;
  const sequences: { identifier: string; documents: Document[] }[] = [];
  let offset = HEADER_LENGTH + 4;
  while (offset < end) {
    const kind = message[offset]!;
    offset += 1;
    if (kind === 0) {
      if (body !== undefined) throw new ProtocolError('OP_MSG has more than one body section');
      const read = readDocument(message, offset, end, MAX_BSON_OBJECT_SIZE + COMMAND_BODY_SLACK);
      body = read.doc;
      offset += read.size;
    } else if (kind === 1) {
      if (end - offset < 4) throw new ProtocolError('truncated document sequence');
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`invalid document sequence size ${size}`);
      const id = readCString(message, offset + 4, sectionEnd);
      const documents: Document[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        // Only the message bounds a sequence's document here: one over 16 MiB is refused by the engine as a
        // per-document write error, the way MongoDB reports it, instead of ending the connection.
        const read = readDocument(message, cursor, sectionEnd, sectionEnd - cursor);
        rememberArrivedBytes(read.doc, message.subarray(cursor, cursor + read.size));
        documents.push(read.doc);
        cursor += read.size;
      }
      sequences.push({ identifier: id.value, documents });
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`OP_MSG has unknown section kind ${kind}`);
    }
  }
  if (body === undefined) throw new ProtocolError('OP_MSG has no body section');
  for (const { identifier, documents } of sequences) {
    if (identifier === '' || Object.prototype.hasOwnProperty.call(body, identifier)) {
      throw new ProtocolError(`OP_MSG document sequence '${identifier}' duplicates a body field`);
    }
    body[identifier] = documents;
  }
  return { header, flagBits, moreToCome: (flagBits & FLAG_MORE_TO_COME) !== 0, body };
}

export function parseOpQuery(message: Buffer): OpQueryRequest {
  const header = readHeader(message);
  const end = message.length;
  if (end < HEADER_LENGTH + 4) throw new ProtocolError('OP_QUERY too short');
  const flags = message.readInt32LE(HEADER_LENGTH);
  const name = readCString(message, HEADER_LENGTH + 4, end);
  if (end - name.next < 8) throw new ProtocolError('OP_QUERY too short');
  const numberToSkip = message.readInt32LE(name.next);
  const numberToReturn = message.readInt32LE(name.next + 4);
  const query = readDocument(message, name.next + 8, end, MAX_BSON_OBJECT_SIZE + COMMAND_BODY_SLACK);
  // An optional returnFieldsSelector may follow; commands never use it, so it is not read.
  return { header, flags, fullCollectionName: name.value, numberToSkip, numberToReturn, query: query.doc };
}

function writeHeader(buffer: Buffer, requestID: number, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(requestID, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

/**
 * The reply document's bytes behind a zeroed prefix of `prefixLength` bytes. bson serializes through a
 * shared 17 MiB buffer, which a full 16 MiB batch plus its envelope can outgrow: such a reply is serialized
 * again with the shared buffer grown to fit (it then stays at that size, at most maxMessageSizeBytes).
 */
/** bson's default shared serialization buffer (17 MiB). */
const DEFAULT_BSON_BUFFER_SIZE = 17 * 1024 * 1024;

function encodeWithPrefix(doc: Document, prefixLength: number): Buffer {
  let bson: Uint8Array;
  try {
    bson = serialize(doc);
  } catch (error) {
    // Only a document too big for the shared buffer is worth a second attempt.
    const size = calculateObjectSize(doc);
    if (size <= DEFAULT_BSON_BUFFER_SIZE) throw error;
    setInternalBufferSize(size + 1);
    bson = serialize(doc);
  }
  const buffer = Buffer.allocUnsafe(prefixLength + bson.length);
  buffer.fill(0, 0, prefixLength);
  buffer.set(bson, prefixLength);
  return buffer;
}

/** An OP_MSG reply with a single kind-0 body and no flags. */
export function encodeOpMsg(requestID: number, responseTo: number, body: Document): Buffer {
  const buffer = encodeWithPrefix(body, HEADER_LENGTH + 5);
  writeHeader(buffer, requestID, responseTo, OP_MSG);
  buffer.writeUInt32LE(0, HEADER_LENGTH); // flagBits
  buffer[HEADER_LENGTH + 4] = 0; // section kind 0
  return buffer;
}

/** An OP_REPLY carrying one document, the answer to a legacy OP_QUERY command. */
export function encodeOpReply(requestID: number, responseTo: number, doc: Document): Buffer {
  const buffer = encodeWithPrefix(doc, HEADER_LENGTH + 20);
  writeHeader(buffer, requestID, responseTo, OP_REPLY);
  buffer.writeInt32LE(0, HEADER_LENGTH); // responseFlags
  buffer.writeBigInt64LE(0n, HEADER_LENGTH + 4); // cursorID
  buffer.writeInt32LE(0, HEADER_LENGTH + 12); // startingFrom
  buffer.writeInt32LE(1, HEADER_LENGTH + 16); // numberReturned
  return buffer;
}
