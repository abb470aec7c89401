// Entry of the embedded database's worker thread. The database is TypeScript run through tsx's loader, as the
// server is; a worker does not reliably inherit the loader of the thread that started it, so it registers its
// own before loading the server.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
