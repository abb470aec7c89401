#!/usr/bin/env node
// Starts the COPE Workspace server. The server is TypeScript run through tsx's loader: no separate
// compile step, and the workspace packages (@cope/db, @cope/domain) resolve to their sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
