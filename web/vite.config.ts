import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// A standard SvelteKit config: in development the realtime server runs Vite in middleware mode,
// so nothing here may start a server of its own.
export default defineConfig({
  plugins: [sveltekit()],
});
