import type { LiveTopicEvent } from '@livetopic/core'

const MAX_TEXT = 400
const decoder = new TextDecoder('utf-8', { fatal: true })

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text
}

/** A received payload as one readable line: compact JSON, text, or a hex preview for binary. */
export function payloadText(payload: Uint8Array): string {
  let text: string
  try {
    text = decoder.decode(payload)
  } catch {
    const hex = Array.from(payload.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join(' ')
    return `<${payload.length} bytes> ${hex}${payload.length > 32 ? ' …' : ''}`
  }
  try {
    return clip(JSON.stringify(JSON.parse(text)))
  } catch {
    return clip(text)
  }
}

/** A value given to publish (before its codec), as one readable line. */
export function valueText(value: unknown): string {
  if (value instanceof Uint8Array) return payloadText(value)
  if (typeof value === 'string') return clip(value)
  try {
    return clip(JSON.stringify(value) ?? String(value))
  } catch {
    return clip(String(value))
  }
}

/** An error as `CODE: message` (livetopic's errors are already redacted). */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return `${String(error.code)}: ${String(error.message)}`
  return error instanceof Error ? error.message : String(error)
}

const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`

/** One debug event as a short line (the type is shown beside it). */
export function eventText(event: LiveTopicEvent): string {
  switch (event.type) {
    case 'connect-attempt':
      return `attempt ${event.attempt}`
    case 'url-resolved':
      return `${event.url} (${event.ms} ms)`
    case 'url-failed':
      return `${errorText(event.error)} (${event.ms} ms)`
    case 'connack':
      return `sessionPresent: ${event.sessionPresent}`
    case 'connect-failed':
    case 'gave-up':
      return errorText(event.error)
    case 'dropped':
      return event.error ? errorText(event.error) : ''
    case 'reconnect-scheduled':
      return `attempt ${event.attempt} in ${event.delay} ms${event.offline ? ' (offline)' : ''}`
    case 'subscribe':
      return `${event.filters.map((f) => `${f.filter} (QoS ${f.qos})`).join(', ')}${event.isolated ? ' alone' : ''}`
    case 'suback':
      return event.results.map((r) => `${r.filter} → ${hex(r.code)}${r.code >= 0x80 ? ' refused' : ''}`).join(', ')
    case 'unsubscribe':
      return event.filters.join(', ')
    case 'suspect':
    case 'forbidden':
      return `${event.kind} ${event.topic}`
    case 'queue':
      return `queued ${event.queued}, in flight ${event.inflight}`
  }
}
