/** MongoDB error codes the wire layer raises itself, and the shape of an error reply. */
import type { Document } from 'bson';
import { MongoServerError } from '../engine/types';

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  CursorNotFound: 43,
  CommandNotFound: 59,
  InvalidNamespace: 73,
  InvalidOptions: 72,
  OperationNotSupportedInTransaction: 263,
  UnsupportedOpQueryCommand: 352,
  ChangeStreamNotSupported: 40573,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export function serverError(
  codeName: ErrorCodeName,
  message: string,
  extra: Document = {},
): MongoServerError {
  return new MongoServerError(ErrorCodes[codeName], codeName, message, extra);
}

export function errorReply(error: MongoServerError): Document {
  // MongoDB's field order: ok, errmsg, code, codeName, then the error's own fields (keyPattern, keyValue…).
  const { ok: _ok, errmsg: _errmsg, code: _code, codeName: _codeName, ...extra } = error.extra;
  return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName, ...extra };
}
