// The organiser console's build: Vue 3 + TDesign, served by `npm start` at /console/ and
// deployable to CloudBase static hosting as it is (relative to its base). The shared contracts come
// from core/ through the `wal-core` alias, so the console validates replies with the server's own
// zod schemas.
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [vue()],
  resolve: { alias: { 'wal-core': here('../core/index.ts') } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/functions': 'http://127.0.0.1:3900', '/auth': 'http://127.0.0.1:3900' } },
})
