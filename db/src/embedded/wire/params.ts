/**
 * Readers for command parameters. Bodies are deserialized without promoting values, so a number such as
 * `limit` may arrive as a JS number, Int32, Double or Long: these helpers accept every numeric BSON type
 * and raise the TypeMismatch / BadValue errors MongoDB would for anything else.
 */
import { Double, Int32, Long, Decimal128, type Document } from 'bson';
import { serverError } from './errors';

export function isDocument(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The numeric value of any BSON number, or undefined when `value` is not a number. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  return undefined;
}

export function optionalNumber(body: Document, field: string): number | undefined {
  const value: unknown = body[field];
  if (value === undefined || value === null) return undefined;
  const n = numericValue(value);
  if (n === undefined || Number.isNaN(n)) {
    throw serverError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a number`);
  }
  return n;
}

export function optionalNonNegativeInt(body: Document, field: string): number | undefined {
  const n = optionalNumber(body, field);
  if (n === undefined) return undefined;
  if (n < 0) throw serverError('BadValue', `${field} value must be non-negative, but received: ${n}`);
  return Math.trunc(n);
}

export function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const n = numericValue(value);
  if (n !== undefined) return n !== 0;
  return true;
}

export function optionalBoolean(body: Document, field: string): boolean | undefined {
  const value: unknown = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (numericValue(value) !== undefined) return truthy(value);
  throw serverError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a boolean`);
}

export function optionalDocument(body: Document, field: string): Document | undefined {
  const value: unknown = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isDocument(value))
    throw serverError('TypeMismatch', `BSON field '${field}' is the wrong type, expected an object`);
  return value;
}

export function requiredArray(body: Document, field: string): unknown[] {
  const value: unknown = body[field];
  if (!Array.isArray(value))
    throw serverError('TypeMismatch', `BSON field '${field}' is missing or not an array`);
  return value;
}

export function requiredDocumentArray(body: Document, field: string): Document[] {
  const values = requiredArray(body, field);
  values.forEach((value, index) => {
    if (!isDocument(value))
      throw serverError(
        'TypeMismatch',
        `BSON field '${field}.${index}' is the wrong type, expected an object`,
      );
  });
  return values as Document[];
}

/** The collection name given as the value of the command's own field, e.g. `{ find: 'users' }`. */
export function collectionName(body: Document, command: string): string {
  const value: unknown = body[command];
  if (typeof value !== 'string') {
    throw serverError(
      'InvalidNamespace',
      `collection name has invalid type ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value === '' || value.includes('\0') || value.startsWith('.') || value.includes('$')) {
    throw serverError('InvalidNamespace', `Invalid namespace specified '${String(body.$db)}.${value}'`);
  }
  return value;
}

/** The batch size of a cursor option, 0 meaning "the default". */
export function batchSizeOf(doc: Document | undefined, field = 'batchSize'): number | undefined {
  if (doc === undefined) return undefined;
  return optionalNonNegativeInt(doc, field);
}
