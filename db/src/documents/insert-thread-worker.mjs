// The insert thread (see insert-thread.ts): a MongoDB client of its own that sends the `insert` commands it is
// handed and answers with their refusals. Plain JavaScript with no TypeScript loader, so that it starts fast.
import { parentPort, workerData } from 'node:worker_threads';
import { MongoClient, ObjectId } from 'mongodb';

const { url, dbName } = workerData;
const client = new MongoClient(url);
const db = client.db(dbName);
const port = parentPort;

port?.on('message', (message) => {
  if (message.type === 'close') {
    void client.close().finally(() => port.close());
    return;
  }
  const { id, collection, documents, bytes, fields } = message;
  // As packed by insert-thread.ts: `_id` as its hex string, byte fields as ranges of one transferred buffer.
  for (const document of documents) {
    if (typeof document._id === 'string') document._id = ObjectId.createFromHexString(document._id);
  }
  for (const [index, key, offset, length] of fields) {
    documents[index][key] = new Uint8Array(bytes, offset, length);
  }
  db.command({ insert: collection, documents, ordered: true }).then(
    (reply) =>
      port.postMessage({
        id,
        writeErrors: (reply.writeErrors ?? []).map(({ index, code, errmsg }) => ({ index, code, errmsg })),
      }),
    (error) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
