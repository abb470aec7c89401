// The background checkpointer's thread (see checkpointer.ts): a connection of its own to the database file
// that copies the write-ahead log into the database at a steady pace, so that commits never wait for it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData;
const db = new Database(file, { fileMustExist: true });
// The database file is synced before the log may be reused: what a commit made durable stays durable.
db.pragma('synchronous = FULL');

const checkpoint = () => {
  try {
    // PASSIVE: copies what it can without waiting for (or blocking) the writer or readers.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort?.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
const timer = setInterval(checkpoint, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
