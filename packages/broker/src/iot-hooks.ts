import { randomUUID } from 'node:crypto'
import type { AedesOptions, AedesPublishPacket, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes'
import { clientById, closeWithReason, DISCONNECT_CODES, REASON, sharedFilterOf } from './aedes-adapter/index.js'
import type { DisconnectReason } from './broker-events.js'
import type { BrokerContext } from './context.js'
import { authenticateConnection, invokeAuthorizer } from './custom-auth.js'
import { hasEmptyPersistentClientId } from './empty-client-id.js'
import { IOT_LIMITS, iotFilterMatches, isReservedTopic, topicLimitError } from './iot-limits.js'
import type { IotAction } from './policy.js'
import type { Session } from './sessions.js'

/** Subscriptions that arrived in a SUBSCRIBE with more than 8 filters: refused as a whole. */
const oversizedSubscribes = new WeakSet<object>()

/** Marks an oversized SUBSCRIBE (called from the connection's packet parser, before aedes handles it). */
export function markOversizedSubscribe(subscriptions: object[]): void {
  for (const s of subscriptions) oversizedSubscribes.add(s)
}

/** Peer address: the WebSocket upgrade's socket, or the TCP socket itself. */
const ipOf = (client: Client): string => client.req?.socket.remoteAddress ?? (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown'

function refusal(returnCode: 2 | 3 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode })
}

/** A forwarded PUBLISH's properties; mqtt-packet types a will's apart, so the PUBLISH type lacks this one. */
type ForwardedProperties = NonNullable<AedesPublishPacket['properties']> & { willDelayInterval?: number }

/**
 * A will's Will Delay Interval belongs to the will, not to the PUBLISH it becomes (MQTT 5 §3.3.2.3
 * lists what a PUBLISH may carry); aedes 2.0.0-beta.1 copies it over (moscajs/aedes#1098) and strict
 * MQTT 5 clients then drop the connection. The copy keeps the shared properties object untouched.
 */
function withoutWillOnlyProperties(packet: AedesPublishPacket): AedesPublishPacket {
  const properties: ForwardedProperties | undefined = packet.properties
  if (properties?.willDelayInterval === undefined) return packet
  const { willDelayInterval: _willOnly, ...rest } = properties
  return { ...packet, properties: rest }
}

/** MQTT 5 clients are refused a PUBLISH or SUBSCRIBE with a reason code, and IoT keeps their connection. */
const answersWithReasonCode = (client: Client): boolean => client.version === 5

/** aedes hooks that give it IoT Core's authorization, limits and matching. */
export function createIotHooks(ctx: BrokerContext): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'> {
  /**
   * Reports a denial, logs it and returns an Error for aedes. `disconnect` is recorded as the reason
   * the broker closes `client`, unless `stays` says the connection outlives the denial (MQTT 5).
   */
  const deny = (
    client: Client,
    session: Session | undefined,
    action: IotAction | 'limit',
    resource: string,
    reason: string,
    disconnect: DisconnectReason,
    stays = false,
  ): Error => {
    if (session && !stays) session.reason ??= disconnect
    ctx.events.emit('denied', { clientId: client.id, ...(session?.principalId ? { principalId: session.principalId } : {}), action, resource, reason })
    ctx.logger.warn(`denied ${action} on ${resource} for client ${client.id}: ${reason}`)
    return new Error(`${action} denied`)
  }

  const check = (client: Client, session: Session | undefined, action: IotAction, name: string): Error | undefined => {
    if (!session?.policy) return undefined
    const decision = session.policy.evaluate(action, name, client.id)
    if (decision.allowed) return undefined
    const resource = session.policy.resourceFor(action, name)
    return deny(client, session, action, resource, decision.reason, 'FORBIDDEN_ACCESS', answersWithReasonCode(client))
  }

  return {
    authenticate(client, username, password, done) {
      const clientId = client.id
      const ipAddress = ipOf(client)
      const start = (principalId?: string): Session => ({
        clientId,
        ...(principalId ? { principalId } : {}),
        sessionIdentifier: randomUUID(),
        versionNumber: 0,
        ipAddress,
        timers: [],
      })
      const accept = (session: Session): void => {
        // the newer connection wins: the older one with this id leaves as DUPLICATE_CLIENTID
        const previous = clientById(ctx.aedes(), clientId)
        const old = ctx.sessions.get(previous)
        if (old) old.reason ??= 'DUPLICATE_CLIENTID'
        session.versionNumber = ctx.sessions.nextVersion(clientId)
        ctx.sessions.set(client, session)
        done(null, true)
      }
      if (Buffer.byteLength(clientId, 'utf8') > IOT_LIMITS.maxClientIdBytes) {
        ctx.events.emit('denied', {
          clientId: clientId.slice(0, 32),
          action: 'limit',
          resource: 'client id',
          reason: `longer than ${IOT_LIMITS.maxClientIdBytes} bytes`,
        })
        done(refusal(2, 'client id too long'), false)
        return
      }
      if (hasEmptyPersistentClientId(client)) {
        ctx.events.emit('denied', { clientId: '', action: 'limit', resource: 'client id', reason: 'empty with CleanSession=0 [MQTT-3.1.3-8]' })
        done(refusal(2, 'empty client id with CleanSession=0'), false)
        return
      }
      const throttled = ctx.quotas.connect(clientId)
      if (throttled) {
        ctx.events.emit('denied', { clientId, action: 'limit', resource: 'client id', reason: throttled.reason })
        ctx.logger.warn(`connection refused for client ${clientId}: ${throttled.reason}`)
        done(refusal(3, 'throttled'), false)
        return
      }
      // the broker's own dashboard page, with its key, from its own origin: past the authorizer and token signing
      if (ctx.dashboard?.admits(username, password, client.req)) {
        accept({ ...start('dashboard'), policy: ctx.dashboard.policy })
        return
      }
      if (!ctx.authorizer) {
        accept(start())
        return
      }
      authenticateConnection(ctx, { req: client.req, username, password, clientId, connectionId: randomUUID() }).then(
        ({ response, event }) => {
          const session = { ...start(response.principalId), policy: response.policy, event }
          scheduleAuthTimers(ctx, client, session, response.disconnectAfterInSeconds, response.refreshAfterInSeconds)
          accept(session)
        },
        (error: Error) => {
          ctx.logger.warn(`connection refused for client ${clientId}: ${error.message}`)
          ctx.lifecycle.connectFailed(clientId, ipAddress)
          done(refusal(5, 'not authorized'), false)
        },
      )
    },

    authorizePublish(client, packet: PublishPacket, done) {
      if (!client) return done(null)
      const session = ctx.sessions.get(client)
      // MQTT 5: aedes answers a refused QoS 1 PUBLISH with PUBACK 0x87 (QoS 0: dropped) and the connection stays
      const stays = answersWithReasonCode(client)
      const limit = (what: string): void => {
        done(deny(client, session, 'limit', packet.topic, what, 'CLIENT_ERROR', stays))
      }
      if (packet.qos === 2) {
        if (!stays) return limit('QoS 2 is not supported')
        // MQTT 5: IoT's CONNACK says Maximum QoS 1, so a QoS 2 PUBLISH is a protocol error (§3.3.1.2):
        // DISCONNECT 0x9B; the PUBLISH itself is dropped unanswered (as QoS 0 when refused)
        deny(client, session, 'limit', packet.topic, 'QoS 2 is not supported', 'CLIENT_ERROR')
        packet.qos = 0
        closeWithReason(client, REASON.qosNotSupported)
        return done(new Error('QoS 2 is not supported'))
      }
      const size = typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.length
      if (size > IOT_LIMITS.maxPayloadBytes) return limit(`payload larger than ${IOT_LIMITS.maxPayloadBytes} bytes`)
      const topicError = topicLimitError(packet.topic)
      if (topicError) return limit(`topic ${topicError}`)
      if (isReservedTopic(packet.topic)) return done(deny(client, session, 'iot:Publish', packet.topic, 'reserved topic', 'FORBIDDEN_ACCESS', stays))
      const error =
        check(client, session, 'iot:Publish', packet.topic) ?? (packet.retain ? check(client, session, 'iot:RetainPublish', packet.topic) : undefined)
      if (error) return done(error)
      const quota = ctx.quotas.publish(session?.sessionIdentifier ?? client.id, packet, size)
      // MQTT 5: the message is refused (PUBACK 0x87) and the connection stays
      done(quota ? deny(client, session, 'limit', packet.topic, quota.reason, quota.disconnect, stays) : null)
    },

    authorizeSubscribe(client, sub: Subscription, done) {
      const session = ctx.sessions.get(client)
      // a limit closes the connection; an MQTT 5 client is told why first (DISCONNECT 0x97)
      const refuse = (error: Error): void => (answersWithReasonCode(client) ? closeWithReason(client, REASON.quotaExceeded, () => done(error)) : done(error))
      if (oversizedSubscribes.has(sub)) {
        return refuse(deny(client, session, 'limit', sub.topic, `more than ${IOT_LIMITS.maxFiltersPerSubscribe} filters in one SUBSCRIBE`, 'CLIENT_ERROR'))
      }
      const topicError = topicLimitError(sub.topic)
      if (topicError) return done(deny(client, session, 'limit', sub.topic, `topic filter ${topicError}`, 'CLIENT_ERROR'))
      // a shared subscription is authorized on its whole `$share/{group}/{filter}` topic filter, as IoT does
      const error = check(client, session, 'iot:Subscribe', sharedFilterOf(sub) ?? sub.topic)
      // MQTT 3.1.1: IoT closes the connection; MQTT 5: SUBACK 0x87 for this filter (aedes' answer to a null grant)
      if (error) return answersWithReasonCode(client) ? done(null, null) : done(error)
      const quota = ctx.quotas.subscribe(client, sub.topic)
      if (quota) return refuse(deny(client, session, 'limit', sub.topic, quota.reason, quota.disconnect))
      // IoT grants QoS 0 and 1 only
      done(null, sub.qos > 1 ? { ...sub, qos: 1 } : sub)
    },

    authorizeForward(client, packet: AedesPublishPacket) {
      // A closing client has already given up its subscriptions, yet aedes still asks here for the
      // stored messages it was streaming and the live ones held for it (resume-order.ts), and clears
      // from a persistent session whatever this refuses. So it is judged by the filters and policy it
      // had (receive-rules.ts): what passes fails on the closed socket and waits in the session for
      // the next resume; what it could never receive is cleared.
      const topic = packet.topic
      const { filters, session } = ctx.receiveRules.of(client)
      // retained messages on subscribe go to an exact-match subscription only; live ones need an IoT match (`a/#` ≠ `a`)
      const matched = packet.retain ? filters.includes(topic) : filters.some((f) => iotFilterMatches(f, topic))
      if (!matched) return null
      if (session?.policy) {
        const decision = session.policy.evaluate('iot:Receive', topic, client.id)
        if (!decision.allowed) {
          // IoT checks Receive on each delivery and drops what is not allowed
          const resource = session.policy.resourceFor('iot:Receive', topic)
          ctx.events.emit('denied', {
            clientId: client.id,
            ...(session.principalId ? { principalId: session.principalId } : {}),
            action: 'iot:Receive',
            resource,
            reason: decision.reason,
          })
          ctx.logger.warn(`denied iot:Receive on ${resource} for client ${client.id}: ${decision.reason}`)
          return null
        }
      }
      return withoutWillOnlyProperties(packet)
    },
  }
}

/** `disconnectAfterInSeconds` closes the connection; `refreshAfterInSeconds` re-runs the authorizer. */
function scheduleAuthTimers(ctx: BrokerContext, client: Client, session: Session, disconnectAfter: number, refreshAfter: number | undefined): void {
  const close = (reason: DisconnectReason): void => {
    session.reason ??= reason
    closeWithReason(client, DISCONNECT_CODES[reason] ?? REASON.notAuthorized)
  }
  // unref: a connection's timers never keep the process alive on their own (the servers do that)
  session.timers.push(setTimeout(() => close('CUSTOMAUTH_TTL_EXPIRATION'), disconnectAfter * 1000).unref())
  const scheduleRefresh = (seconds: number): void => {
    session.timers.push(
      setTimeout(() => {
        if (client.closed || !session.event) return
        invokeAuthorizer(ctx, session.event).then(
          (response) => {
            session.policy = response.policy
            if (response.refreshAfterInSeconds !== undefined) scheduleRefresh(response.refreshAfterInSeconds)
          },
          (error: Error) => {
            ctx.logger.warn(`policy refresh failed for client ${client.id}: ${error.message}; disconnecting`)
            close('AUTH_ERROR')
          },
        )
      }, seconds * 1000).unref(),
    )
  }
  if (refreshAfter !== undefined) scheduleRefresh(refreshAfter)
}
