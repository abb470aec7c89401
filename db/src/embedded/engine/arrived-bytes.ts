/**
 * The bytes a document arrived in over the wire, kept beside the parsed document so that an insert can store
 * them as they are instead of serialising the document again (under a burst of inserts that second
 * serialisation was a tenth of the storage thread's work). Only a document the engine stores unchanged may
 * use them: one given an `_id`, or reordered to put `_id` first, is a new object and is serialised.
 */
import type { Document } from 'bson';

const arrived = new WeakMap<Document, Buffer>();

export function rememberArrivedBytes(doc: Document, bytes: Buffer): void {
  arrived.set(doc, bytes);
}

export function arrivedBytesOf(doc: Document): Buffer | undefined {
  return arrived.get(doc);
}
