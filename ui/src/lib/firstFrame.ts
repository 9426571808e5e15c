// Why: on a warm profile a cold engine takes longer to run the app's script and build its first
// view than a bare window takes to start (docs/benchmarks.md, "Start-up", eighth round). So the
// page's first load carries the first view as the window last drew it (the first frame,
// src-tauri/src/first_frame.rs), painted before any script runs, and the app takes over from it.
// Rust shows a frame only when it was drawn from exactly the data the page now carries, by this
// build of the page; nothing in it depends on the time (the "5 minutes ago" of each recent
// customer is blank in it, and comes with the live view). What the agent does meanwhile is not
// lost: the text typed into the search field, its focus and an Enter go over to the live app.
//
// The frame is drawn "still": the app mounted off-screen with the data Rust names a key for,
// exactly as its first render at start draws it, with nothing else happening (no IPC, no focus,
// no title, no timers: components ask `isStill()`). It is drawn again and kept when the first
// view may have changed (status, view, language, theme), once things settle.
import { flushSync, mount, unmount, type Component } from 'svelte'
import { firstFrameData, keepFirstFrame, type DeskStatus, type FrameRoot, type RecentCustomer } from './ipc'
import { i18n } from './i18n.svelte'
import { prefs } from './prefs.svelte'

/** What the first view is drawn from: the desk's status and the active profile's recent customers. */
export interface StillData {
  status: DeskStatus
  recent: RecentCustomer[]
}

/** The app, as main.ts mounts it (`still` set only for a still drawing). */
export type FrameApp = Component<{ still?: StillData }>

let still = false

/** Whether the app is being drawn still, for its first frame: no side effects, the first render only. */
export const isStill = (): boolean => still

/** The first view drawn still for `data`: its markup, with the relative times blank and the
 *  search field focused on load. */
export function drawStill(app: FrameApp, data: StillData): string {
  const box = document.createElement('div')
  still = true
  try {
    const drawn = mount(app, { target: box, props: { still: data } })
    try {
      flushSync()
      for (const when of box.querySelectorAll<HTMLElement>('[data-at]')) when.textContent = ''
      // The live view puts focus in the search field at start: the frame's field has it
      // already, so typing can begin before the app takes over (takeOver carries it).
      box.querySelector('#customer')?.setAttribute('autofocus', '')
      return box.innerHTML
    } finally {
      void unmount(drawn)
    }
  } finally {
    still = false
  }
}

/** The page root's attributes the frame is drawn under (set by main.ts and the app shell). */
export function rootNow(): FrameRoot {
  const root = document.documentElement
  return {
    lang: i18n.locale,
    theme: root.dataset.theme === 'light' || root.dataset.theme === 'dark' ? root.dataset.theme : null,
    scheme: root.dataset.scheme === 'dark' ? 'dark' : 'light',
    platform: root.dataset.platform === 'linux' ? 'linux' : null,
  }
}

/** How long the first view must stay unchanged before its frame is drawn again. */
const SETTLES_MS = 1500

let app: FrameApp | null = null
let timer: ReturnType<typeof setTimeout> | undefined
let kept = ''

/** Frames are drawn with `drawWith` (main.ts registers the app). */
export function keepFramesOf(drawWith: FrameApp): void {
  app = drawWith
}

/** The first view may have changed: its frame is drawn again and kept once things settle, when
 *  its data or its look did change. Failures are quiet: the next start is then an ordinary one. */
export function frameMayHaveChanged(): void {
  if (!app || still || typeof setTimeout !== 'function') return
  clearTimeout(timer)
  timer = setTimeout(() => void keepFrame(), SETTLES_MS)
}

/** Draws the first view for the data Rust has now and keeps it (at once; tests and the timer). */
export async function keepFrame(): Promise<void> {
  if (!app) return
  try {
    const { key, status, recent } = await firstFrameData()
    const root = rootNow()
    const look = JSON.stringify([key, root, prefs.firstRunDismissed])
    if (look === kept) return
    await keepFirstFrame(key, root, drawStill(app, { status, recent }))
    kept = look
  } catch {
    // not kept: the next start draws its first view itself
  }
}

/** Whether the page arrived with a frame in `target` (`<html data-first-frame>`, first_frame.rs). */
export function carriesFrame(target: HTMLElement): boolean {
  return document.documentElement.hasAttribute('data-first-frame') && target.firstElementChild !== null
}

/** What the agent did to the frame before the app took over. */
export interface Held {
  submitted: boolean
  /** Stops holding (the live app's own form handles its Enter). */
  stop: () => void
}

/** Holds what the agent does to the frame in `target` before the app takes over: an Enter in
 *  its search form (the form itself goes nowhere: the page allows no form submission). */
export function holdFrame(target: HTMLElement): Held {
  const onsubmit = (e: Event) => {
    e.preventDefault()
    held.submitted = true
  }
  const held: Held = { submitted: false, stop: () => target.removeEventListener('submit', onsubmit) }
  target.addEventListener('submit', onsubmit)
  return held
}

/** Replaces the frame in `target` with the live app (`mountLive`), carrying over what was typed
 *  into its search field meanwhile, whether the field had focus and an Enter (`held`). */
export function takeOver(target: HTMLElement, mountLive: () => void, held?: Held): void {
  held?.stop()
  document.documentElement.removeAttribute('data-first-frame')
  const field = target.querySelector<HTMLInputElement>('#customer')
  const typed = field?.value ?? ''
  const focused = field !== null && document.activeElement === field
  target.replaceChildren()
  mountLive()
  const live = target.querySelector<HTMLInputElement>('#customer')
  if (!live) return
  if (typed) {
    live.value = typed
    live.dispatchEvent(new Event('input', { bubbles: true }))
  }
  if (focused) live.focus()
  if (held?.submitted) live.form?.requestSubmit()
}
