// Vitest setup: jest-dom matchers; unmount components before Tauri mocks are cleared.
import '@testing-library/jest-dom/vitest'
import { afterEach } from 'vitest'
import { cleanup } from '@testing-library/svelte'
import { clearMocks } from '@tauri-apps/api/mocks'

afterEach(() => {
  cleanup()
  clearMocks()
})
