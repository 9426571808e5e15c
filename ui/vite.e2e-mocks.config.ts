// Builds e2e/tauri-mocks.ts into one IIFE that Playwright injects with addInitScript.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'e2e/.build',
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: 'e2e/tauri-mocks.ts',
      formats: ['iife'],
      name: 'TauriMocksBundle',
      fileName: () => 'tauri-mocks.js',
    },
  },
})
