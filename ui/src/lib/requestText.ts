// A request's facts in the agent's words: when it was received (a day alone for a paper letter,
// else the instant in the agent's own zone), the profile a customer belongs to, an open item,
// and each history event as a sentence — one place, so the detail, the close dialog and the
// tests say the same thing.
import type { EventKind, OpenItem, ProfileRef, ProfileView, Received } from './bindings'
import { t } from './i18n.svelte'
import { dateTime, dayText } from './format'

export function receivedText(r: Received): string {
  return r.precision === 'day' ? t('req.detail.receivedDay', { date: dayText(r.date) }) : dateTime(r.at)
}

/** The received day alone (for the register's column). */
export function receivedDay(r: Received): string {
  return r.precision === 'day' ? dayText(r.date) : dayText(localDayOf(r.at))
}

function localDayOf(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function profileText(ref: ProfileRef, profiles: ProfileView[]): string {
  if (ref === 'all_profiles') return t('req.detail.allProfiles')
  return profiles.find((p) => p.id === ref.profile)?.name ?? t('req.detail.unknownProfile', { id: ref.profile })
}

export function openItemText(i: OpenItem): string {
  return i.item === 'missing_document' ? t(`req.items.doc.${i.kind}`) : t('req.items.removal', { seq: i.seq })
}

export function eventText(e: EventKind): string {
  switch (e.type) {
    case 'created':
      return t('req.ev.created')
    case 'status_changed': {
      const text = t('req.ev.status', { from: t(`req.status.${e.from}`), to: t(`req.status.${e.to}`) })
      return e.forced ? `${text}. ${t('req.ev.forced', { list: e.open.map(openItemText).join('; ') })}` : text
    }
    case 'identity_checked':
      return t(e.matched ? 'req.ev.identityYes' : 'req.ev.identityNo')
    case 'assigned':
      return e.assignee ? t('req.ev.assigned', { name: e.assignee }) : t('req.ev.unassigned')
    case 'note_added':
      return t('req.ev.note')
    case 'extended':
      return t('req.ev.extended', { date: dayText(e.due), notice: dayText(e.notice) })
    case 'deadline_recomputed':
      return t('req.ev.recomputed', {
        from: e.previous ? dayText(e.previous) : '—',
        to: e.due ? dayText(e.due) : '—',
        version: e.calendar ?? '—',
      })
    case 'removal_linked':
      return t('req.ev.removal', { customer: e.customer, outcome: t(`req.removal.${e.result}`), seq: e.audit.seq })
    case 'audit_linked':
      return t('req.ev.audit', { seq: e.audit.seq })
    case 'document_produced':
      return t('req.ev.document', { name: e.name })
  }
}
