import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Runes only: no legacy reactive syntax anywhere in the app.
    runes: true,
  },
  kit: {
    typescript: {
      // The account services' types (imported as types only) reach a package without its own types;
      // its declaration lives in @cope/db. Paths here are relative to .svelte-kit/.
      config: (tsconfig) => ({
        ...tsconfig,
        include: [...tsconfig.include, '../../db/src/accounts/fxa-common-password-list.d.ts'],
      }),
    },
    // The realtime server imports build/handler.js and mounts it in express next to socket.io and
    // the Yjs sync endpoint, so only the handler matters; adapter-node's own index.js is not used.
    adapter: adapter({ out: 'build', precompress: false }),
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
};

export default config;
