import type { ReadableAtom } from 'nanostores'

/** Resolves when `predicate` holds for the store's value; rejects with the last value after `ms` (an upper bound: generous, so a loaded machine is not a failure). */
export function waitFor<T>(store: ReadableAtom<T>, predicate: (value: T) => boolean, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let unsubscribe: () => void = () => {}
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`timed out; last value: ${JSON.stringify(store.get())}`))
    }, ms)
    unsubscribe = store.subscribe((value) => {
      if (!predicate(value)) return
      clearTimeout(timer)
      queueMicrotask(() => unsubscribe())
      resolve(value)
    })
  })
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
