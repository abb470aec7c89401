export {
  startTestDatabase,
  usingRealMongoDB,
  waitFor,
  type AnyDoc,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database';
export { expectServerError, expectRejection } from './errors';
