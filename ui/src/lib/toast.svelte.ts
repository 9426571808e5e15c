// Why: after an export the agent needs to know where the file went and to get to it; one
// pattern for every export (audit CSV/JSON, a bulk job's results) instead of a message per
// view. A toast stays until dismissed, replaced or the agent moves to another view (an action
// in it must not vanish on a timer while someone reaches for it).

export interface Toast {
  /** What happened, already in the window's language. */
  text: string
  /** Where the file went, as Rust wrote it (shown, never sent back: "Open folder" asks Rust). */
  path: string
  /** Bumped on each toast, so a repeated export announces itself again. */
  id: number
  /** Where it shows: floating over the window's bottom right corner, or docked in a request's
   * Documents panel, under the button that saved the file (a floating one covered the request's
   * assignee and notes, which come next on that page). */
  place: ToastPlace
}

export type ToastPlace = 'float' | 'request-documents'

let next = 0

export const toasts = $state<{ current: Toast | null }>({ current: null })

/** Shows that an export of `text` went to `path`, replacing any toast shown. */
export function toastExported(text: string, path: string, place: ToastPlace = 'float'): void {
  toasts.current = { text, path, id: ++next, place }
}

export function dismissToast(): void {
  toasts.current = null
}
