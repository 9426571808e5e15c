// Why: the two revoke dialogs (one card, all cards) run the same four steps — form, five-second
// countdown with Undo, one call to Rust, result — and must agree on what each step allows: Undo
// and closing during the countdown send nothing; nothing closes while the call runs; a failure
// goes back to the form with the error and keeps what was typed. One state machine, unit-tested
// here, instead of two copies in two components.
import { tick } from 'svelte'
import type { AppError } from './ipc'
import { asAppError } from './errors'

export type Phase = 'form' | 'countdown' | 'working' | 'result'

export interface FlowHooks {
  /** After the DOM shows a phase just entered (focus goes where it belongs). */
  onenter?: (phase: Phase) => void
}

export class RevokeFlow<R> {
  phase = $state<Phase>('form')
  /** The form was submitted at least once: its rules are shown from now on. */
  submitted = $state(false)
  /** The last countdown was undone: nothing was sent. */
  undone = $state(false)
  /** What the last call to Rust failed with; the form is shown again. */
  failure = $state<AppError | null>(null)
  result = $state<R | null>(null)
  /** Whether anything reached Rust's revoke workflow (the card list may have changed). */
  sent = $state(false)

  readonly #send: () => Promise<R>
  readonly #hooks: FlowHooks

  /** `send` makes the one call to Rust; it is run only when a countdown elapses. */
  constructor(send: () => Promise<R>, hooks: FlowHooks = {}) {
    this.#send = send
    this.#hooks = hooks
  }

  /** The dialog's close button (and Esc, the backdrop) may close it now. */
  get closable(): boolean {
    return this.phase !== 'working'
  }

  /** The footer's buttons are shown in the form and on the result only. */
  get hasFooter(): boolean {
    return this.phase === 'form' || this.phase === 'result'
  }

  /** The form was submitted; `valid` says whether its rules hold. True when the countdown starts. */
  submit(valid: boolean): boolean {
    if (this.phase !== 'form') return false
    this.submitted = true
    this.undone = false
    if (!valid) return false
    this.failure = null
    this.#enter('countdown')
    return true
  }

  /** Undo during the countdown: back to the form, nothing sent. */
  undo(): void {
    if (this.phase !== 'countdown') return
    this.undone = true
    this.#enter('form')
  }

  /** The countdown ran out: the one call to Rust. */
  async elapsed(): Promise<void> {
    if (this.phase !== 'countdown') return
    await this.#call()
  }

  /** The call held for a supervisor's approval (team mode's four-eyes) goes again, once, with
   * what was confirmed when it was asked for — the countdown was run then. Only from the form
   * that still shows that `awaiting_approval` (a field edited meanwhile clears it, and then
   * nothing goes by itself). Rust decides again whether an approval exists and uses it once. */
  async proceed(): Promise<boolean> {
    if (this.phase !== 'form' || this.failure?.code !== 'awaiting_approval') return false
    this.failure = null
    this.undone = false
    await this.#call()
    return true
  }

  async #call(): Promise<void> {
    this.sent = true
    this.#enter('working')
    try {
      this.result = await this.#send()
      this.#enter('result')
    } catch (err) {
      this.failure = asAppError(err)
      this.#enter('form')
    }
  }

  /** The person asks to close (Esc, close button, backdrop): during the countdown that is Undo
   * and the dialog stays; while working it stays; otherwise it may close. */
  requestClose(): boolean {
    if (this.phase === 'countdown') {
      this.undo()
      return false
    }
    return this.closable
  }

  /** A field was edited: the last failure no longer describes what is on screen. */
  edited(): void {
    this.failure = null
  }

  #enter(phase: Phase) {
    this.phase = phase
    const hook = this.#hooks.onenter
    if (hook) void tick().then(() => hook(phase))
  }
}
