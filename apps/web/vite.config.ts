import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.JINENG_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The tree-shaken ECharts chunk (bar, line, funnel; canvas) is ~560 kB, ~190 kB gzipped, and
    // loads only with the dashboard.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Framework code changes less often than ours: separate chunks stay cached across deploys.
        // antd is left to automatic splitting so that table code loads with the first table page.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
            },
            { name: 'query', test: /[\\/]node_modules[\\/]@tanstack[\\/]/ },
            // Charts load only with the dashboard, and stay cached across deploys.
            { name: 'echarts', test: /[\\/]node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
    },
  },
});
