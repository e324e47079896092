import type { ConnectionState, LiveTopicError } from '@livetopic/core'

/** Helpers the three UIs share, so they behave identically and stay thin. */

/** `14:03:27` in the viewer's locale. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** Badge text and tone for a connection state. */
export function describeConnection(state: ConnectionState): { label: string; tone: 'ok' | 'wait' | 'bad'; detail?: string } {
  const detail = state.error ? errorText(state.error) : undefined
  const withDetail = <T extends object>(base: T): T & { detail?: string } => (detail ? { ...base, detail } : base)
  switch (state.status) {
    case 'connected':
      return { label: 'connected', tone: 'ok' }
    case 'connecting':
      return withDetail({ label: 'connecting', tone: 'wait' as const })
    case 'reconnecting':
      return withDetail({ label: 'reconnecting', tone: 'wait' as const })
    case 'offline':
      return withDetail({ label: 'offline', tone: 'bad' as const })
    case 'failed':
      return withDetail({ label: 'failed', tone: 'bad' as const })
    default:
      return { label: 'idle', tone: 'wait' }
  }
}

/** What the badge says about the tab's share of the connection (shareAcrossTabs), if anything. */
export function describeRole(state: ConnectionState): string | undefined {
  if (state.role === 'leader') return 'this tab holds the connection'
  if (state.role === 'follower') return 'shared with another tab'
  return undefined
}

/** A short, human sentence for an error (livetopic already keeps tokens out of messages). */
export function errorText(error: LiveTopicError | Error): string {
  const code = (error as Partial<LiveTopicError>).code
  if (code === 'NOT_AUTHORIZED') return `Not allowed by your policy: ${error.message}`
  return code ? `${code}: ${error.message}` : error.message
}

/** SVG polyline points for a sparkline of `values` in a `width` × `height` box. */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return ''
  const min = Math.min(...values)
  const max = Math.max(...values)
  const span = max - min || 1
  const step = values.length > 1 ? width / (values.length - 1) : 0
  return values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`).join(' ')
}
