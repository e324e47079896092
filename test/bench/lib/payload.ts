/** A JSON payload of about `size` bytes carrying its sequence number and send time. */
export function payloadOf(seq: number, size: number): string {
  const head = JSON.stringify({ seq, sentAt: Date.now(), text: '' })
  return JSON.stringify({ seq, sentAt: Date.now(), text: 'x'.repeat(Math.max(0, size - head.length)) })
}
