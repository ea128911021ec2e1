import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// For `npm run dev` against a local API: API_PROXY_TARGET=http://localhost:8080 npm run dev
// forwards /api/* to it (without the /api prefix), so the default apiBaseUrl "/api" works
// without CORS. In Kubernetes the ingress does the same routing.
const apiProxyTarget = process.env.API_PROXY_TARGET;

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: apiProxyTarget
      ? { '/api': { target: apiProxyTarget, changeOrigin: true, rewrite: (path) => path.replace(/^\/api/, '') } }
      : undefined,
  },
  build: {
    outDir: 'dist',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
