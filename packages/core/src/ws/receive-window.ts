/**
 * The answers (PUBACK, PUBREC, PUBCOMP) to one WebSocket message, gathered while it is read, as
 * one frame: a burst of QoS 1 messages costs one send, not one per message. The session keeps the
 * list (a function, not an object: its property names would not minify in the size-budgeted page).
 */
export function joinFrames(gathered: Uint8Array[]): Uint8Array | undefined {
  let out = gathered[0]
  if (gathered.length > 1) {
    out = new Uint8Array(gathered.reduce((n, b) => n + b.length, 0))
    let at = 0
    for (const b of gathered) {
      out.set(b, at)
      at += b.length
    }
  }
  return out
}
