/** Assertions on the errors the official driver raises, so that tests check codes rather than messages. */
import { MongoServerError } from 'mongodb';
import { expect } from 'vitest';

/** Awaits `promise`, expects it to reject with a `MongoServerError` of `code`, and returns that error. */
export async function expectServerError(promise: Promise<unknown>, code: number): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a MongoServerError with code ${code}`).toBeInstanceOf(MongoServerError);
  const error = caught as MongoServerError;
  expect(error.code, error.message).toBe(code);
  return error;
}

/** Awaits `promise` and expects it to reject with any error; returns it. */
export async function expectRejection(promise: Promise<unknown>): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the operation to be refused').toBeInstanceOf(Error);
  return caught as Error;
}
