// An in-memory Web Locks API for several simulated tabs in one Node process: exclusive and shared
// modes, ifAvailable, AbortSignal, and `crash(tab)`, which frees a tab's locks and requests as the
// browser does when a tab dies.
type Mode = 'exclusive' | 'shared'
interface Holder {
  mode: Mode
  tab: string
}
interface Waiting {
  mode: Mode
  tab: string
  run: () => void
  reject: (error: unknown) => void
}

const aborted = (): DOMException => new DOMException('The request was aborted.', 'AbortError')

export class FakeLocks {
  private readonly held = new Map<string, Holder[]>()
  private readonly queue = new Map<string, Waiting[]>()

  /** The `navigator.locks` of one tab. */
  manager(tab: string): LockManager {
    const request = (name: string, a: LockOptions | LockGrantedCallback<unknown>, b?: LockGrantedCallback<unknown>): Promise<unknown> => {
      const options: LockOptions = typeof a === 'function' ? {} : a
      const callback = (typeof a === 'function' ? a : b)!
      const mode: Mode = options.mode ?? 'exclusive'
      return new Promise((resolve, reject) => {
        if (options.signal?.aborted) return reject(aborted())
        const run = (): void => {
          const holder = { mode, tab }
          this.list(this.held, name).push(holder)
          Promise.resolve()
            .then(() => callback({ name, mode }))
            .then(resolve, reject)
            .finally(() => this.release(name, holder))
        }
        if (this.list(this.queue, name).length === 0 && this.grantable(name, mode)) return run()
        if (options.ifAvailable)
          return void Promise.resolve()
            .then(() => callback(null))
            .then(resolve, reject)
        const waiting: Waiting = { mode, tab, run, reject }
        this.list(this.queue, name).push(waiting)
        options.signal?.addEventListener('abort', () => {
          const queue = this.list(this.queue, name)
          if (!queue.includes(waiting)) return
          queue.splice(queue.indexOf(waiting), 1)
          reject(aborted())
        })
      })
    }
    // clientId: the tab (page) holding the lock, as the browser reports it
    const query = (): Promise<LockManagerSnapshot> =>
      Promise.resolve({
        held: [...this.held].flatMap(([name, holders]) => holders.map((h) => ({ name, mode: h.mode, clientId: h.tab }))),
        pending: [],
      })
    return { request, query }
  }

  /** The tab died: its locks are free and its requests gone (their promises never settle). */
  crash(tab: string): void {
    for (const [name, holders] of this.held)
      this.held.set(
        name,
        holders.filter((h) => h.tab !== tab),
      )
    for (const [name, queue] of this.queue)
      this.queue.set(
        name,
        queue.filter((w) => w.tab !== tab),
      )
    for (const name of this.held.keys()) this.pump(name)
  }

  private list<T>(map: Map<string, T[]>, name: string): T[] {
    let list = map.get(name)
    if (!list) map.set(name, (list = []))
    return list
  }

  private grantable(name: string, mode: Mode): boolean {
    const holders = this.list(this.held, name)
    return holders.length === 0 || (mode === 'shared' && holders.every((h) => h.mode === 'shared'))
  }

  private release(name: string, holder: Holder): void {
    const holders = this.list(this.held, name)
    if (!holders.includes(holder)) return
    holders.splice(holders.indexOf(holder), 1)
    this.pump(name)
  }

  private pump(name: string): void {
    const queue = this.list(this.queue, name)
    while (queue.length > 0 && this.grantable(name, queue[0]!.mode)) queue.shift()!.run()
  }
}
