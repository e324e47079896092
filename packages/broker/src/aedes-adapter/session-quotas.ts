import type { Aedes, Client } from 'aedes'
import { clientById } from './internals.js'
import type { BrokerContext } from '../context.js'
import type { ResolvedQuotas } from '../quotas/options.js'

/** The part of aedes' session store (aedes-persistence) that expiry and the queue cap replace or call. */
interface SessionStore {
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<unknown>
  outgoingStream(client: { id: string }): AsyncIterable<{ brokerId?: string; brokerCounter?: number }>
  outgoingUpdate(client: { id: string }, packet: object): Promise<unknown>
  outgoingClearMessageId(client: { id: string }, packet: { messageId: number }): Promise<unknown>
  cleanSubscriptions(client: { id: string }): Promise<unknown>
}

/**
 * IoT's persistent-session quotas: an offline session is discarded with its queued messages after
 * `sessionExpirySeconds` ("Persistent session expiry period"), and holds at most
 * `queuedMessagesPerSession` QoS 1 messages meanwhile (newer ones are dropped, as IoT drops what
 * exceeds its queue limits rather than replacing older messages). Returns a stop function.
 */
export function enforceSessionQuotas(aedes: Aedes, ctx: BrokerContext, quotas: ResolvedQuotas): () => void {
  const store = (aedes as Aedes & { persistence: SessionStore }).persistence
  const expiries = new Map<string, NodeJS.Timeout>()
  /** Messages queued for each offline session (counted from its queue when it goes offline). */
  const queued = new Map<string, number>()
  const warned = new Set<string>()
  const online = (clientId: string): boolean => {
    const client = clientById(aedes, clientId)
    return client !== undefined && !client.closed
  }

  const enqueue = store.outgoingEnqueueCombi.bind(store)
  store.outgoingEnqueueCombi = (subs, packet) => {
    const kept = subs.filter((sub) => {
      const count = queued.get(sub.clientId)
      if (count === undefined || online(sub.clientId)) return true // only offline sessions are counted
      if (count < quotas.queuedMessagesPerSession) {
        queued.set(sub.clientId, count + 1)
        return true
      }
      if (!warned.has(sub.clientId)) {
        warned.add(sub.clientId)
        const reason = `more than ${quotas.queuedMessagesPerSession} queued messages: newer ones are dropped`
        ctx.events.emit('denied', { clientId: sub.clientId, action: 'limit', resource: 'persistent session', reason })
        ctx.logger.warn(`persistent session of client ${sub.clientId} holds ${reason}`)
      }
      return false
    })
    return kept.length === subs.length ? enqueue(subs, packet) : enqueue(kept, packet)
  }

  const resumed = (clientId: string): void => {
    clearTimeout(expiries.get(clientId))
    expiries.delete(clientId)
    queued.delete(clientId)
    warned.delete(clientId)
  }
  aedes.on('clientReady', (client) => {
    resumed(client.id)
    // CleanSession=1 ends a persistent session (IoT), but aedes keeps its queue for a later resume
    if (client.clean) discardQueue(store, client.id).catch((error: unknown) => ctx.logger.warn(`clearing the queue of ${client.id} failed: ${String(error)}`))
  })
  aedes.on('clientDisconnect', (client: Client) => {
    if (client.clean || !client.id || online(client.id)) return
    const clientId = client.id
    void countQueue(store, clientId).then((n) => {
      if (!online(clientId)) queued.set(clientId, n)
    })
    clearTimeout(expiries.get(clientId))
    const timer = setTimeout(() => {
      expiries.delete(clientId)
      if (online(clientId)) return
      queued.delete(clientId)
      warned.delete(clientId)
      discardSession(store, clientId).catch((error: unknown) => ctx.logger.warn(`expiring the session of ${clientId} failed: ${String(error)}`))
    }, quotas.sessionExpirySeconds * 1000)
    expiries.set(clientId, timer.unref())
  })
  return () => {
    for (const timer of expiries.values()) clearTimeout(timer)
    expiries.clear()
  }
}

async function countQueue(store: SessionStore, clientId: string): Promise<number> {
  let n = 0
  for await (const _ of store.outgoingStream({ id: clientId })) n++
  return n
}

/** Drops a session's subscriptions and every message queued for it. */
async function discardSession(store: SessionStore, clientId: string): Promise<void> {
  await store.cleanSubscriptions({ id: clientId })
  await discardQueue(store, clientId)
}

async function discardQueue(store: SessionStore, clientId: string): Promise<void> {
  const client = { id: clientId }
  const packets: { brokerId?: string; brokerCounter?: number }[] = []
  for await (const p of store.outgoingStream(client)) packets.push(p)
  // the store removes by packet id only: give each message a mark no real id (1–65535) can equal
  let mark = 0
  for (const packet of packets) {
    const marked = { ...packet, messageId: --mark - 70_000 }
    await store.outgoingUpdate(client, marked)
    await store.outgoingClearMessageId(client, marked)
  }
}
