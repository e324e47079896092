import type { Transport, TransportFactory, TransportHandlers } from '@livetopic/core'

/** An in-memory transport for micro-benchmarks only: connects at once, grants every SUBSCRIBE. */
export interface FakeTransport {
  readonly factory: TransportFactory
  /** Delivers a message as if it came from the broker (throws before the client created the transport). */
  deliver(topic: string, payload: Uint8Array): void
  /** Filters currently subscribed (SUBSCRIBE minus UNSUBSCRIBE). */
  readonly subscribed: Set<string>
}

export function fakeTransport(): FakeTransport {
  let handlers: TransportHandlers | undefined
  const subscribed = new Set<string>()
  const factory: TransportFactory = (_options, h) => {
    handlers = h
    const transport: Transport = {
      open: () => queueMicrotask(() => h.onConnect(false)),
      subscribe: (subs) => {
        for (const s of subs) subscribed.add(s.filter)
        return Promise.resolve(subs.map((s) => s.qos))
      },
      unsubscribe: (filters) => {
        for (const f of filters) subscribed.delete(f)
        return Promise.resolve()
      },
      publish: async () => {},
      close: async () => {},
      abort: () => {},
    }
    return transport
  }
  return {
    factory,
    subscribed,
    deliver(topic, payload) {
      if (!handlers) throw new Error('the client has not created its transport')
      handlers.onMessage(topic, payload, 0, false)
    },
  }
}
