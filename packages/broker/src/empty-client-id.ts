import type { AedesOptions, Client } from 'aedes'

/** Connections whose CONNECT had an empty client id with CleanSession=0. */
const refused = new WeakSet<Client>()

/**
 * aedes' `preConnect` hook: notes a CONNECT with an empty client id and CleanSession=0, which aedes
 * would accept under a made-up id. [MQTT-3.1.3-8] requires CONNACK 0x02 (identifier rejected) and a
 * close; the `authenticate` hook answers it (aedes sends CONNACK only from there).
 */
export const noteEmptyPersistentClientId: NonNullable<AedesOptions['preConnect']> = (client, packet, done) => {
  if (packet.clientId === '' && !packet.clean) refused.add(client)
  done(null, true)
}

/** True when the client's CONNECT must be refused with 0x02 ([MQTT-3.1.3-8]). */
export const hasEmptyPersistentClientId = (client: Client): boolean => refused.has(client)
