export * from './clock.js';
export * from './sessions.js';
export * from './cookie.js';
export * from './passwords.js';
export * from './rate-limit.js';
export * from './audit.js';
export * from './sign-in.js';
export * from './users.js';
