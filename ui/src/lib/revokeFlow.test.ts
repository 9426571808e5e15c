// The revoke dialogs' state machine on its own: what each step allows, and above all that
// nothing is sent unless a countdown ran out, and that a failure says so on the form.
import { describe, expect, test, vi } from 'vitest'
import { RevokeFlow, type Phase } from './revokeFlow.svelte'
import { AppError } from './ipc'

function flow(send: () => Promise<string> = async () => 'done') {
  const entered: Phase[] = []
  const spy = vi.fn(send)
  const f = new RevokeFlow<string>(spy, { onenter: (p) => entered.push(p) })
  return { f, send: spy, entered }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('revokeFlow', () => {
  test('starts on the form; closable, with a footer, nothing sent', () => {
    const { f } = flow()
    expect(f.phase).toBe('form')
    expect(f.closable).toBe(true)
    expect(f.hasFooter).toBe(true)
    expect(f.sent).toBe(false)
    expect(f.submitted).toBe(false)
  })

  test('an invalid form stays a form and marks it submitted; nothing counts down', () => {
    const { f, send } = flow()
    expect(f.submit(false)).toBe(false)
    expect(f.phase).toBe('form')
    expect(f.submitted).toBe(true)
    expect(send).not.toHaveBeenCalled()
  })

  test('a valid form counts down; the footer goes, the dialog may still be closed', () => {
    const { f, send } = flow()
    expect(f.submit(true)).toBe(true)
    expect(f.phase).toBe('countdown')
    expect(f.hasFooter).toBe(false)
    expect(f.closable).toBe(true)
    expect(send).not.toHaveBeenCalled()
  })

  test('Undo during the countdown sends nothing and says so', async () => {
    const { f, send } = flow()
    f.submit(true)
    f.undo()
    expect(f.phase).toBe('form')
    expect(f.undone).toBe(true)
    expect(f.sent).toBe(false)
    // a late tick of the old countdown does nothing either
    await f.elapsed()
    expect(send).not.toHaveBeenCalled()
    expect(f.phase).toBe('form')
  })

  test('closing during the countdown is an Undo and keeps the dialog open', () => {
    const { f, send } = flow()
    f.submit(true)
    expect(f.requestClose()).toBe(false)
    expect(f.phase).toBe('form')
    expect(f.undone).toBe(true)
    expect(send).not.toHaveBeenCalled()
  })

  test('submitting again clears the "undone" note', () => {
    const { f } = flow()
    f.submit(true)
    f.undo()
    f.submit(true)
    expect(f.undone).toBe(false)
  })

  test('the countdown running out sends once; while working nothing closes', async () => {
    let finish: (v: string) => void = () => {}
    const { f, send } = flow(() => new Promise((r) => (finish = r)))
    f.submit(true)
    const done = f.elapsed()
    expect(f.phase).toBe('working')
    expect(f.sent).toBe(true)
    expect(f.closable).toBe(false)
    expect(f.hasFooter).toBe(false)
    expect(f.requestClose()).toBe(false)
    expect(f.phase).toBe('working')
    await f.elapsed() // a second tick while working sends nothing more
    expect(send).toHaveBeenCalledTimes(1)
    finish('ok')
    await done
    expect(f.phase).toBe('result')
    expect(f.result).toBe('ok')
    expect(f.requestClose()).toBe(true)
  })

  test('a failure goes back to the form with the error; it was sent, so the list is reloaded on closing', async () => {
    const { f } = flow(async () => {
      throw new AppError('transport', 'connection reset')
    })
    f.submit(true)
    await f.elapsed()
    expect(f.phase).toBe('form')
    expect(f.failure).toMatchObject({ code: 'transport', message: 'connection reset' })
    expect(f.sent).toBe(true)
    expect(f.result).toBe(null)
    f.edited()
    expect(f.failure).toBe(null)
  })

  test('a new attempt after a failure clears the error once it counts down', async () => {
    const { f } = flow(async () => {
      throw new AppError('validation', 'ticket')
    })
    f.submit(true)
    await f.elapsed()
    expect(f.submit(false)).toBe(false)
    expect(f.failure).not.toBe(null)
    f.submit(true)
    expect(f.failure).toBe(null)
  })

  test('each phase entered is reported after the DOM has it', async () => {
    const { f, entered } = flow()
    f.submit(true)
    f.undo()
    f.submit(true)
    await f.elapsed()
    await settle()
    expect(entered).toEqual(['countdown', 'form', 'countdown', 'working', 'result'])
  })

  test('nothing moves from the result', async () => {
    const { f, send } = flow()
    f.submit(true)
    await f.elapsed()
    expect(f.submit(true)).toBe(false)
    f.undo()
    await f.elapsed()
    expect(f.phase).toBe('result')
    expect(send).toHaveBeenCalledTimes(1)
  })

  test('a call held for approval goes again once, without a countdown; nothing else does', async () => {
    let held = true
    const { f, send } = flow(async () => {
      if (held) throw new AppError('awaiting_approval', 'this revoke-all needs a second person’s approval')
      return 'done'
    })
    expect(await f.proceed()).toBe(false) // nothing held yet
    f.submit(true)
    await f.elapsed()
    expect(f.failure?.code).toBe('awaiting_approval')
    held = false
    expect(await f.proceed()).toBe(true)
    expect(f.phase).toBe('result')
    expect(f.result).toBe('done')
    expect(send).toHaveBeenCalledTimes(2)
    expect(await f.proceed()).toBe(false)
    expect(send).toHaveBeenCalledTimes(2)
  })

  test('another failure, or a field edited since, is not gone on with', async () => {
    const { f, send } = flow(async () => {
      throw new AppError('transport', 'connection reset')
    })
    f.submit(true)
    await f.elapsed()
    expect(await f.proceed()).toBe(false)
    const held = flow(async () => {
      throw new AppError('awaiting_approval', 'waits')
    })
    held.f.submit(true)
    await held.f.elapsed()
    held.f.edited()
    expect(await held.f.proceed()).toBe(false)
    expect(send).toHaveBeenCalledTimes(1)
    expect(held.send).toHaveBeenCalledTimes(1)
  })
})
