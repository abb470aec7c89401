/** MongoDB's error codes and messages for the failures the engine reports. */
import { EJSON, type Document } from 'bson';
import { MongoServerError } from './types';
import { entriesOf } from './values';

export const BSON_MAX_SIZE = 16 * 1024 * 1024;

export function badValue(message: string): MongoServerError {
  return new MongoServerError(2, 'BadValue', message);
}

export function failedToParse(message: string): MongoServerError {
  return new MongoServerError(9, 'FailedToParse', message);
}

export function invalidOptions(message: string): MongoServerError {
  return new MongoServerError(72, 'InvalidOptions', message);
}

export function namespaceExists(ns: string): MongoServerError {
  return new MongoServerError(48, 'NamespaceExists', `Collection ${ns} already exists.`);
}

export function namespaceNotFound(message: string): MongoServerError {
  return new MongoServerError(26, 'NamespaceNotFound', message);
}

export function indexNotFound(name: string): MongoServerError {
  return new MongoServerError(27, 'IndexNotFound', `index not found with name [${name}]`);
}

export function immutableField(message: string): MongoServerError {
  return new MongoServerError(66, 'ImmutableField', message);
}

export function typeMismatch(message: string): MongoServerError {
  return new MongoServerError(14, 'TypeMismatch', message);
}

export function tooLarge(size: number): MongoServerError {
  return new MongoServerError(
    10334,
    'BSONObjectTooLarge',
    `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and 16793600(16MB)`,
  );
}

/** Renders a value the way MongoDB prints it inside an E11000 message (relaxed extended JSON). */
function shellValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  const text = EJSON.stringify({ v }, { relaxed: true });
  return text.slice('{"v":'.length, -1);
}

export function duplicateKey(
  ns: string,
  indexName: string,
  keyPattern: Document,
  keyValue: Document,
): MongoServerError {
  const parts = entriesOf(keyValue).map(([k, v]) => `${k}: ${shellValue(v)}`);
  return new MongoServerError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${parts.join(', ')} }`,
    { keyPattern, keyValue },
  );
}

/** Turns any thrown value into a MongoServerError (mingo and internal errors become BadValue). */
export function asServerError(err: unknown): MongoServerError {
  if (err instanceof MongoServerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return badValue(message);
}
