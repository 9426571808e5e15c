// Where a document form's group of fields (the operator's name and address, the processor's,
// the information system) stands against Settings → Documents, for FromSettings beside it.

/** `settings` while the fields are Settings' (non-blank); `changed` once they differ from
 * Settings' for this document; `unset` when Settings name none (for an optional group, only once
 * something was typed); `null` when there is nothing to say. */
export function groupSource(
  values: string[],
  settings: Array<string | undefined>,
  required: boolean,
): 'settings' | 'changed' | 'unset' | null {
  const set = settings.map((s) => (s ?? '').trim())
  const typed = values.map((v) => v.trim())
  if (set.every((s) => s === '')) return required || typed.some((v) => v !== '') ? 'unset' : null
  return typed.every((v, i) => v === set[i]) ? 'settings' : 'changed'
}
