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
    // antd + Refine make one large vendor bundle; it is a back office on a LAN/desktop, not a landing page.
    chunkSizeWarningLimit: 3000,
  },
  server: {
    port: 5173,
    // `npm run dev:admin` next to `npm run dev`: the API keeps its cookie on the same origin through the proxy.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
