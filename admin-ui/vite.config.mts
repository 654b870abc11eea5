import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The admin UI is served by the frontend under /admin (src/frontend/admin/admin-ui.module.ts) and
// talks only to /admin/api. Everything is bundled: no CDN, no runtime fetches of code.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite admin-ui` during development: API calls go to a running frontend.
    proxy: { '/admin/api': process.env.ADMIN_API_TARGET ?? 'http://127.0.0.1:8080' },
  },
});
