// iotPresence on the stand-in, as the example deploys it on AWS IoT Core: lifecycle events, the
// presence and presence_state rules' Lambdas (fresh instances, a roster in dynalite), and the
// example's authorizer (each connection announces only as itself).
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { presenceRoom, type PresenceView } from '@livetopic/core/presence'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { AUTHORIZER_NAME, topics, type Roster } from '../../examples/shared/config.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf } from '../../examples/shared/identity.js'
import { roomPresence, type MemberStatus } from '../../examples/shared/presence.js'
import { killableSockets } from '../helpers/killable-socket.js'
import { waitFor } from '../helpers/wait.js'

const clients: LiveTopicClient[] = []
const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

const user = (clientId: string): string => clientId.split('_')[0]!
const shown = (view: PresenceView<MemberStatus>, names: Map<string, string>): string =>
  view.members
    .map((m) => `${names.get(m.id) ?? m.id}:${m.state?.status ?? '-'}`)
    .sort()
    .join()

describe('iotPresence on the stand-in with the example’s rules', () => {
  it('members carry their state to late joiners (roster) and live; a dropped one leaves and comes back', { timeout: 90_000 }, async () => {
    const broker = await startExampleBroker(0, { logger: 'silent' })
    brokers.push(broker)
    const [ann, bob] = await Promise.all(['Ann', 'Bob'].map((name) => fetchDevToken(broker.httpUrl, name)))
    const names = new Map([
      [ann!.sub, 'ann'],
      [bob!.sub, 'bob'],
    ])
    const join = (who: { sub: string; idToken: string }, device: string, reconnectDelay = 50) => {
      const sockets = killableSockets()
      const client = createClient({
        url: iotCustomAuthorizer({ endpoint: broker.url, authorizerName: AUTHORIZER_NAME, token: who.idToken }),
        clientId: clientIdOf(who.sub, device),
        WebSocket: sockets.WebSocket,
        reconnect: { initialDelay: reconnectDelay, maxDelay: reconnectDelay },
      })
      clients.push(client)
      const room = presenceRoom<MemberStatus>(client, { strategy: roomPresence, member: user, initialState: { status: 'here' }, throttle: 50 })
      const off = room.store.listen(() => {})
      return { client, room, off, kill: sockets.killAll }
    }

    const a = join(ann!, 'tab', 2000)
    await waitFor(a.room.store, (v) => v.status === 'subscribed' && v.members.length === 1)
    a.room.update({ status: 'typing' })
    // the presence_state rule records it: the retained roster carries it
    await waitFor(
      a.client.topic<Roster>(topics.roster),
      (s) => s.data?.members.some((m) => (m.state as MemberStatus | undefined)?.status === 'typing') === true,
      30_000,
    )

    // bob joins later: the roster tells him who is here and in what state
    const b = join(bob!, 'phone')
    await waitFor(b.room.store, (v) => shown(v, names) === 'ann:typing,bob:here', 30_000)
    // live: an update reaches him at once through presence/state/<clientId>
    a.room.update({ status: 'away' })
    await waitFor(b.room.store, (v) => shown(v, names) === 'ann:away,bob:here', 30_000)
    await waitFor(a.room.store, (v) => shown(v, names) === 'ann:away,bob:here', 30_000)
    expect(a.room.store.get().me).toMatchObject({ id: ann!.sub, isMe: true, state: { status: 'away' } })

    // her socket dies: the lifecycle event removes her for bob
    a.kill()
    await waitFor(b.room.store, (v) => shown(v, names) === 'bob:here', 30_000)
    // her client reconnects and announces again
    await waitFor(b.room.store, (v) => shown(v, names) === 'ann:away,bob:here', 30_000)
    a.off()
    b.off()
  })
})
