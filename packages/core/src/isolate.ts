import type { WritableAtom } from 'nanostores'
import { redact } from './redact.js'

/**
 * Reports an error thrown by user code (a store listener, an `onMessage` callback, `onError`,
 * `onEvent`) without letting it reach the caller: the socket's packet handling, the rest of a
 * SUBACK batch, or the process.
 *
 * Browsers and Deno have `reportError`: the error shows in the console and reaches
 * `window.onerror`, as if an event listener threw. Node has none, and rethrowing later
 * (`setTimeout(() => { throw })`) is an uncaught exception that ends the process; so there the
 * error is logged with `console.error`, redacted (a token may sit in its message).
 */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (typeof report === 'function') return report(error)
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  console.error(`livetopic: a listener threw; livetopic carried on.\n${redact(text)}`)
}

/** Calls user code; a throw is reported, not passed on. */
export function callSafely<A extends unknown[]>(fn: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (!fn) return
  try {
    fn(...args)
  } catch (error) {
    reportListenerError(error)
  }
}

/**
 * `store.set(value)` for a store users listen to. nanostores calls every listener synchronously
 * inside `set` and, when one throws, still calls the others before rethrowing: catching here
 * keeps that throw out of livetopic's own code (the SUBACK batch, the socket), and reports it.
 */
export function setSafely<T>(store: WritableAtom<T>, value: T): void {
  try {
    store.set(value)
  } catch (error) {
    reportListenerError(error)
  }
}
