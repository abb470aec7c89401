/** Builders of raw wire messages for the tests, written independently of the server's own encoder. */
import { serialize, type Document } from 'bson';
import { crc32c } from '../../src/embedded/wire/crc32c';

export function header(length: number, requestID: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestID, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

export interface Sequence {
  identifier: string;
  documents: Document[];
}

/** An OP_MSG with a body, optional kind-1 sequences, flags, and (when asked) a right or wrong checksum. */
export function opMsg(
  requestID: number,
  body: Document,
  options: { flags?: number; sequences?: Sequence[]; checksum?: 'right' | 'wrong' } = {},
): Buffer {
  let flags = options.flags ?? 0;
  if (options.checksum !== undefined) flags |= 1;
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const sequence of options.sequences ?? []) {
    const docs = sequence.documents.map((doc) => Buffer.from(serialize(doc)));
    const id = Buffer.from(`${sequence.identifier}\0`, 'utf8');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.reduce((sum, doc) => sum + doc.length, 0));
    sections.push(Buffer.from([1]), size, id, ...docs);
  }
  const flagBuffer = Buffer.alloc(4);
  flagBuffer.writeUInt32LE(flags >>> 0);
  const payload = Buffer.concat([flagBuffer, ...sections]);
  const checksumLength = options.checksum === undefined ? 0 : 4;
  const message = Buffer.concat([header(16 + payload.length + checksumLength, requestID, 0, 2013), payload]);
  if (options.checksum === undefined) return message;
  const sum = Buffer.alloc(4);
  const crc = crc32c(message);
  sum.writeUInt32LE(options.checksum === 'right' ? crc : (crc ^ 0xdeadbeef) >>> 0);
  return Buffer.concat([message, sum]);
}

/** A legacy OP_QUERY on `fullCollectionName`. */
export function opQuery(requestID: number, fullCollectionName: string, query: Document): Buffer {
  const name = Buffer.from(`${fullCollectionName}\0`, 'utf8');
  const flags = Buffer.alloc(4);
  const numbers = Buffer.alloc(8);
  numbers.writeInt32LE(0, 0); // numberToSkip
  numbers.writeInt32LE(-1, 4); // numberToReturn
  const payload = Buffer.concat([flags, name, numbers, Buffer.from(serialize(query))]);
  return Buffer.concat([header(16 + payload.length, requestID, 0, 2004), payload]);
}
