import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built from the repository root (`npx vite build --config admin/vite.config.ts`); paths are relative to admin/.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // The manifest lists each page's chunks: tests/api/admin-assets.test.ts checks the first page's script budget with it.
    // The dashboard chart chunk (recharts, loaded lazily) is ~410 KB minified; every other chunk stays below.
    chunkSizeWarningLimit: 450,
    rolldownOptions: {
      treeshake: {
        // papaparse is CommonJS, so it counts as having side effects and rides along with @refinedev/core into the
        // first page although only CSV import/export (unused) calls it.
        moduleSideEffects: (id) => !/node_modules[\\/]papaparse[\\/]/.test(id),
      },
    },
  },
  server: {
    port: 5173,
    // `npm run dev:admin` next to `npm run dev`: the API keeps its cookie on the same origin through the proxy.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
