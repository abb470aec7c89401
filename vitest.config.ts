import { defineConfig } from 'vitest/config';

// One Vitest project per package; `pnpm test:unit` runs them all from the root.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'domain',
          root: './domain',
          include: ['test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'db',
          root: './db',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          root: './web',
          include: ['test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'realtime',
          root: './realtime',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
