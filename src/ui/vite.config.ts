import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const server = 'http://127.0.0.1:5000';

/** `npm run build:ui` → dist/ui, which `pitwall server` serves at `/`. `vite --config src/ui/vite.config.ts` for dev. */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../../dist/ui'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: true },
      '/ajax-api': { target: server, changeOrigin: true },
      '/health': { target: server, changeOrigin: true },
    },
  },
});
