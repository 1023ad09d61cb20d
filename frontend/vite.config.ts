import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const api = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': new URL('./src', import.meta.url).pathname } },
  server: {
    proxy: Object.fromEntries(['/api', '/healthz', '/readyz', '/metrics', '/.well-known'].map((p) => [p, api])),
  },
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  test: { globals: true, environment: 'jsdom', setupFiles: ['./src/testing/setup.ts'] },
});
