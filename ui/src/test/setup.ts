// Vitest setup: jest-dom matchers; pdf.js replaced by a mock (no worker, no canvas in
// happy-dom); card-art URLs as the app's cardart: scheme gives them; unmount components before
// Tauri mocks are cleared; a fresh localStorage (language, theme, dismissed banners) and a fresh
// bulk-jobs and requests stores (they live at module level, to outlast the view) per test.
import '@testing-library/jest-dom/vitest'
import { afterEach, beforeEach, vi } from 'vitest'
import { cleanup } from '@testing-library/svelte'
import { clearMocks, mockConvertFileSrc } from '@tauri-apps/api/mocks'
import { bulk } from '../lib/bulk.svelte'
import { requests } from '../lib/requests.svelte'
import { resetLinks } from '../lib/links.svelte'

vi.mock('../lib/pdf', () => ({
  renderPdf: vi.fn(async (_url: string, canvas: HTMLCanvasElement) => {
    canvas.width = 160
    canvas.height = 100
  }),
}))

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
