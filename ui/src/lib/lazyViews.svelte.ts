// Why: the window's first frame is the search view, and WebKit parses every byte of script and
// style before it can draw it (docs/benchmarks.md, "Start-up"). The customer view and the views
// behind the sidebar are their own chunks: asked for on first use, and fetched in the
// background once the search view is painted, so a later switch finds them ready.
import type { Component } from 'svelte'

export type LazyName = 'customer' | 'settings' | 'bulk' | 'requests' | 'audit'

// Props differ per view; App.svelte passes each its own.
type AnyComponent = Component<any>

const LOADERS: Record<LazyName, () => Promise<{ default: AnyComponent }>> = {
  customer: () => import('../views/CustomerView.svelte'),
  settings: () => import('../views/SettingsView.svelte'),
  bulk: () => import('../views/BulkView.svelte'),
  requests: () => import('../views/RequestsView.svelte'),
  audit: () => import('../views/AuditView.svelte'),
}

class LazyViews {
  /** The views loaded so far, by name: what App.svelte can draw at once. */
  loaded = $state.raw<Partial<Record<LazyName, AnyComponent>>>({})
  /** Why a view's chunk could not be loaded (it is asked for again on the next try). */
  failed = $state.raw<Partial<Record<LazyName, string>>>({})
  #pending = new Map<LazyName, Promise<void>>()

  /** Loads view `name` (once; a failed load is tried again on the next call). */
  load(name: LazyName): Promise<void> {
    if (this.loaded[name]) return Promise.resolve()
    let pending = this.#pending.get(name)
    if (!pending) {
      pending = LOADERS[name]().then(
        (m) => {
          this.loaded = { ...this.loaded, [name]: m.default }
          const { [name]: _, ...rest } = this.failed
          this.failed = rest
        },
        (e: unknown) => {
          this.#pending.delete(name)
          this.failed = { ...this.failed, [name]: e instanceof Error ? e.message : String(e) }
        },
      )
      this.#pending.set(name, pending)
    }
    return pending
  }

  /** Forgets the loaded views, for a test of the first switch to one. */
  reset(): void {
    this.loaded = {}
    this.failed = {}
    this.#pending.clear()
  }

  /** Loads every view, one after the other (the first frame is already painted). */
  async prefetch(): Promise<void> {
    for (const name of Object.keys(LOADERS) as LazyName[]) await this.load(name)
  }
}

export const lazyViews = new LazyViews()
