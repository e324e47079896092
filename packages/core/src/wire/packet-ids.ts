/** Packet ids 1…65535, wrapping, skipping those still in use. */
export function packetIds(inUse: (id: number) => boolean): () => number {
  let last = 0
  return () => {
    for (let tries = 0; tries < 65535; tries++) {
      last = (last % 65535) + 1
      if (!inUse(last)) return last
    }
    throw new Error('all 65535 packet ids are in use')
  }
}
