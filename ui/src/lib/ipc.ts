// The one seam between the UI and Rust: only this module imports @tauri-apps/*.
// UI tests mock Tauri's IPC underneath it; errors arrive from Rust as {code, message}.
import { invoke } from '@tauri-apps/api/core'

export type ErrorCode = 'validation' | 'gateway_fault' | 'transport' | 'internal'

export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

export interface AppInfo {
  version: string
  profile: { name: string; environment: 'sandbox' | 'test' | 'production'; merchantId: string }
  sandboxUrl: string | null
}

export interface Expiry {
  month: number
  year: number
}

export interface Card {
  token: string
  bin: string
  last4: string
  masked: string
  brand: string
  bank: string
  expiry: Expiry | null
  expiryText: string
  active: boolean
  needCvc: boolean
  expired: boolean
}

export interface CardList {
  customer: string
  cards: Card[]
  fetchedAt: string
}

function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message } = e as { code: string; message: string }
    return new AppError(code as ErrorCode, String(message))
  }
  return new AppError('internal', typeof e === 'string' ? e : 'Unexpected error')
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    // never log `args`: customer numbers and, later, credentials pass through here
    throw toAppError(e)
  }
}

export const appInfo = () => call<AppInfo>('app_info')
export const listCards = (customer: string) => call<CardList>('list_cards', { customer })
