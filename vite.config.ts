/**
 * Builds the PWA: index.html at the repository root, the app in web/, static
 * files in public/, output in dist/ (which the relay serves).
 *
 * The service worker is our own (web/sw/sw.ts, injectManifest) so that automerge
 * stays out of it and updates wait for the user (see web/pwa/update-offer.ts).
 */
import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'
import { VitePWA } from 'vite-plugin-pwa'
import { readFileSync } from 'node:fs'

const packageVersion = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version

/** automerge's wasm is ~3.6 MB and the QR decoder's ~1.1 MB; both must be precached for offline start. */
const PRECACHE_FILE_BYTES_MAX = 8 * 1024 * 1024

export default defineConfig({
  root: '.',
  define: { __HEROES_VERSION__: JSON.stringify(packageVersion) },
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // The relay's WebSocket lives at /sync; during `vite dev` a local relay can sit behind it.
    proxy: { '/sync': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'web/sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon-180.png'],
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,webmanifest}'],
        maximumFileSizeToCacheInBytes: PRECACHE_FILE_BYTES_MAX,
        rollupFormat: 'iife',
      },
      manifest: {
        id: '/',
        name: 'Heroes — community money',
        short_name: 'Heroes',
        description: 'Pay and get paid in your community’s own currency, online or offline.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0f5c4d',
        background_color: '#f6f4ee',
        categories: ['finance', 'social'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
})
