// Why: a helpdesk ticket's `carddesk://` link must open the desk filled in — never more. A
// lookup link fills the search (the agent presses Find cards: nothing goes to a gateway by
// itself), keeps the ticket for the revoke dialogs and, on a production profile, locks every
// Revoke until the agent allows changes; a new-request link opens the request form prefilled.
// A link that arrives while the agent is in a dialog or a half-filled form waits behind a
// banner instead of throwing their typing away; a link Rust could not read says why.
import { tick } from 'svelte'
import { activateProfile, linkFeed, type LinkMessage, type OpenedLink } from './ipc'
import { asAppError } from './errors'
import type { AppState } from './appState.svelte'
import { requests } from './requests.svelte'

export const links = $state<{
  /** Why the last link could not be opened (Rust's error, or a failed switch of profile). */
  error: { message: string; ru?: string | null } | null
  /** A link that arrived while the agent was busy: opened when they say so. */
  waiting: OpenedLink | null
}>({ error: null, waiting: null })

/** Whether opening a link now would throw away what the agent is doing. */
export function agentBusy(): boolean {
  if (typeof document !== 'undefined' && document.querySelector('dialog[open], [data-dirty="true"]')) return true
  return requests.screen.name === 'new' && requests.form !== null
}

export interface LinkHooks {
  /** Puts focus in the search field (the shell knows how, across a view switch). */
  focusSearch: () => void
}

export function receive(desk: AppState, m: LinkMessage, hooks: LinkHooks): void {
  if (m.error) {
    links.error = m.error
    return
  }
  if (!m.link) return
  links.error = null
  if (agentBusy()) {
    links.waiting = m.link
    return
  }
  void openLink(desk, m.link, hooks)
}

export async function openLink(desk: AppState, link: OpenedLink, hooks: LinkHooks): Promise<void> {
  links.waiting = null
  const intent = link.intent
  if (intent.kind === 'new_request') {
    requests.openNewRequest(desk.status?.activeProfileId ?? 'sandbox', {
      kind: intent.requestKind,
      ...(intent.customer !== undefined ? { customer: intent.customer } : {}),
      ...(intent.profile !== undefined ? { profile: intent.profile } : {}),
      ...(intent.ticket !== undefined ? { ticket: intent.ticket } : {}),
      ...(intent.received !== undefined ? { received: intent.received } : {}),
    })
    desk.goRequests()
    return
  }
  // A lookup: in the profile the link names (made active, as the search's "Open in" does).
  try {
    if (intent.profile && intent.profile !== desk.status?.activeProfileId) {
      await activateProfile(intent.profile)
      await desk.reload()
    }
  } catch (e) {
    links.error = asAppError(e)
    return
  }
  const profileId = intent.profile ?? desk.status?.activeProfileId ?? ''
  desk.workingOn = null
  desk.searchAll = false
  desk.allResults = null
  desk.query = intent.customer
  desk.linked = {
    customer: intent.customer,
    ticket: intent.ticket ?? null,
    lock: link.readOnly ? { profileId, profileName: link.profileName ?? desk.active?.name ?? profileId } : null,
  }
  await tick()
  hooks.focusSearch()
}

/** Subscribes once (the shell calls it after the status loaded). */
export function subscribeLinks(desk: AppState, hooks: LinkHooks): Promise<void> {
  return linkFeed((m) => receive(desk, m, hooks))
}

/** Forget everything (tests). */
export function resetLinks() {
  links.error = null
  links.waiting = null
}
