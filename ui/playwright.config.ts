// Browser tests of the built UI in Debian's Chromium (no browser downloads), with Tauri's IPC
// mocked underneath ui/src/lib/ipc.ts by the official @tauri-apps/api mocks.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: 'http://localhost:4173/',
    screenshot: 'only-on-failure',
    // the app window's default size (tauri.conf.json)
    viewport: { width: 1180, height: 780 },
    // no fade-ins half-way through a screenshot (the app honours prefers-reduced-motion)
    contextOptions: { reducedMotion: 'reduce' },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'npx vite preview --port 4173 --strictPort',
    url: 'http://localhost:4173/',
    reuseExistingServer: false,
  },
})
