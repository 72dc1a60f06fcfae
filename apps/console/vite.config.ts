import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The gateway (npm start, port 3000) answers everything the console calls. */
const GATEWAY = process.env.TONGXIN_GATEWAY_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/auth', '/.well-known', '/users', '/audit'];

/**
 * Starts fetching the landing page's chunk, and the chunks it imports, while the entry is still
 * loading (otherwise the page's chunks are asked for only once React has run, and on a slow phone
 * connection that waterfall costs round trips): an inline script in index.html adds a
 * `<link rel=modulepreload>` for each. The page is the one of the address (`/facility`), or at `/`
 * the home of the claims the console keeps in localStorage (the login page without them).
 */
function preloadLandingPage(pages: Record<string, string>, homes: Record<string, string>): Plugin {
  return {
    name: 'tongxin-preload-landing-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return html;
        const files: Record<string, string[]> = {};
        for (const [path, source] of Object.entries(pages)) {
          const page = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith(source));
          if (!page) throw new Error(`no chunk for ${source}`);
          const deps = new Set<string>();
          const walk = (file: string) => {
            const chunk = bundle[file];
            if (deps.has(file) || chunk?.type !== 'chunk') return;
            deps.add(file);
            chunk.imports.forEach(walk);
          };
          walk(page.fileName);
          // The entry's own chunks are in the page already.
          files[path] = [...deps].filter((file) => !html.includes(file));
        }
        const script = `(function(){var f=${JSON.stringify(files)},h=${JSON.stringify(homes)},p=location.pathname;
if(p==='/'){p='/login';try{var r=JSON.parse(localStorage.getItem('tongxin.principal')||'null');if(r&&r.roles.length===1&&h[r.roles[0]])p=h[r.roles[0]]}catch(e){}}
(f[p]||[]).forEach(function(s){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href='/'+s;document.head.appendChild(l)})})()`;
        return [{ tag: 'script', children: script, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    preloadLandingPage(
      { '/facility': 'src/pages/FacilityPage.tsx', '/login': 'src/pages/LoginPage.tsx' },
      { facility_manager: '/facility' },
    ),
  ],
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
        // React in its own long-cached chunk; ECharts only in the dashboard's lazy chunk; the rest of
        // what the first paint needs (Ant Design's core, layout, buttons, typography) in one `ui`
        // chunk, and the form components every role's page uses in one `forms` chunk, instead of
        // some 30 small shared chunks (on a slow phone connection each request costs a round trip).
        // The other components stay split by the pages that use them.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack)[\\/]/,
              priority: 3,
            },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 3 },
            { name: 'ui', test: /node_modules[\\/]/, tags: ['$initial'], priority: 2 },
            {
              name: 'forms',
              test: /node_modules[\\/](antd[\\/]es[\\/](form|input|checkbox|alert|grid)|@rc-component[\\/](form|input|textarea|checkbox))[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
});
