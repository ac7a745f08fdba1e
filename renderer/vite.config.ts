import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer is built once into dist/renderer and served by the headless host (http) or the
// Electron shell (app://). Relative asset paths work under both.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
    // no inline <script> or data: modules: the CSP allows only 'self'
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // One bundle, loaded from disk or 127.0.0.1: size matters less than having no extra requests.
    chunkSizeWarningLimit: 1024,
  },
});
