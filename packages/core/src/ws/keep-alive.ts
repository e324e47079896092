import { LiveTopicError } from '../errors.js'

/**
 * MQTT keep-alive, client side, for `seconds` (0: off): checks a quarter of it at a time, pings
 * when nothing went out for half of it, and expires with CONNECTION_LOST when nothing came in for
 * 1.5× (the broker's own limit), so a silent broker is noticed. The caller keeps the traffic times
 * (`Date.now()` of its last send and receive) and clears the returned timer when the socket ends.
 */
export function keepAlive(
  seconds: number,
  lastSent: () => number,
  lastReceived: () => number,
  ping: () => void,
  expire: (why: LiveTopicError) => void,
): ReturnType<typeof setInterval> | undefined {
  if (seconds > 0)
    return setInterval(() => {
      const now = Date.now()
      if (now - lastReceived() >= seconds * 1500) return expire(new LiveTopicError('CONNECTION_LOST', 'no answer from the broker within the keep-alive period'))
      if (now - lastSent() >= seconds * 500) ping()
    }, seconds * 250)
  return undefined
}
