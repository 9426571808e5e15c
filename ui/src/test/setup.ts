// Vitest setup: jest-dom matchers; pdf.js replaced by a mock (no worker, no canvas in
// happy-dom); card-art URLs as the app's cardart: scheme gives them; unmount components before
// Tauri mocks are cleared; a fresh localStorage (language, theme, dismissed banners) and a fresh
// bulk-jobs and requests stores (they live at module level, to outlast the view) per test. The
// lazily loaded views and the Russian texts are loaded before a file's tests, as the app has
// them once its first frame is painted (App.test.ts covers a switch before that).
import '@testing-library/jest-dom/vitest'
import { afterEach, beforeAll, beforeEach, vi } from 'vitest'
import { cleanup } from '@testing-library/svelte'
import { clearMocks, mockConvertFileSrc } from '@tauri-apps/api/mocks'
import { bulk } from '../lib/bulk.svelte'
import { requests } from '../lib/requests.svelte'
import { resetLinks } from '../lib/links.svelte'
import { lazyViews } from '../lib/lazyViews.svelte'
import { loadLocale } from '../lib/i18n.svelte'

vi.mock('../lib/pdf', () => ({
  renderPdf: vi.fn(async (_url: string, canvas: HTMLCanvasElement) => {
    canvas.width = 160
    canvas.height = 100
  }),
}))

beforeAll(async () => {
  await loadLocale('ru')
  await lazyViews.prefetch()
})

beforeEach(() => {
  localStorage.clear()
  mockConvertFileSrc('linux')
})

afterEach(() => {
  cleanup()
  bulk.reset()
  requests.reset()
  resetLinks()
  clearMocks()
  vi.unstubAllGlobals()
})
