// Test-only bundle exposing Tauri's official IPC mocks to the page (injected before the app).
import { mockIPC, mockWindows, mockConvertFileSrc, clearMocks } from '@tauri-apps/api/mocks'
import { emit } from '@tauri-apps/api/event'

declare global {
  interface Window {
    __TAURI_MOCKS__: unknown
  }
}
window.__TAURI_MOCKS__ = { mockIPC, mockWindows, mockConvertFileSrc, clearMocks, emit }
