import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The gateway (npm start, port 3000) answers everything the console calls. */
const GATEWAY = process.env.TONGXIN_GATEWAY_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/auth', '/.well-known', '/users', '/audit'];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: GATEWAY, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // React in its own long-cached chunk; ECharts only in the dashboard's lazy chunk; Ant Design split
        // by the pages that use it (one antd chunk would make the phone page load every component).
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack)[\\/]/,
            },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
});
