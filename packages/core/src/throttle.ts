import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { LiveTopicError } from './errors.js'

/** How often a throttled store may change: once per animation frame, or at most once per that many ms. */
export type Throttle = 'frame' | number

// one throttled store per (source, throttle), so adapters can ask again on every render
const cache = new WeakMap<ReadableAtom<unknown>, Map<Throttle, ReadableAtom<unknown>>>()

function schedule(throttle: Throttle, run: () => void): () => void {
  if (throttle === 'frame' && typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(run)
    return () => cancelAnimationFrame(id)
  }
  // no animation frames (Node, SSR, workers): about one frame at 60 Hz
  const id = setTimeout(run, throttle === 'frame' ? 16 : throttle)
  return () => clearTimeout(id)
}

/**
 * A store following `store` that changes at most once per animation frame (`'frame'`) or per
 * `throttle` ms, and always ends on the latest value. The first change after a quiet spell goes
 * through at once. Caps renders for high-rate topics; the source still sees every message (its
 * `history` keeps them all). Without `throttle` it returns `store` itself.
 */
export function throttled<T>(store: ReadableAtom<T>, throttle?: Throttle): ReadableAtom<T> {
  if (throttle === undefined) return store
  if (throttle !== 'frame' && !(typeof throttle === 'number' && Number.isFinite(throttle) && throttle >= 0))
    throw new LiveTopicError('INVALID_OPTIONS', `throttle must be 'frame' or a number of milliseconds ≥ 0, got ${String(throttle)}`)
  let forSource = cache.get(store)
  if (!forSource) cache.set(store, (forSource = new Map<Throttle, ReadableAtom<unknown>>()))
  const cached = forSource.get(throttle)
  if (cached) return cached as ReadableAtom<T>

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed: tsc reads store.value as T | undefined against atom's rest-tuple parameter
  const out = atom<T>(store.value as T)
  let off: (() => void) | undefined
  let cancel: (() => void) | undefined
  let pending = false
  // end of a window: deliver what came in during it, and open a new window if something did
  const tick = (): void => {
    cancel = undefined
    if (!pending) return
    pending = false
    out.set(store.value as T)
    cancel = schedule(throttle, tick)
  }
  onStart(out, () => {
    off = store.listen((value) => {
      if (cancel) pending = true
      else {
        out.set(value)
        cancel = schedule(throttle, tick)
      }
    })
    out.set(store.value as T)
  })
  onStop(out, () => {
    off?.()
    cancel?.()
    off = cancel = undefined
    pending = false
    // the source changed as it lost its listener (status back to idle): a later get() must see it
    out.set(store.value as T)
  })
  forSource.set(throttle, out)
  return out
}
