import type { ConnectionState, ReadableAtom } from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/** The connection state store of the client in context: `$connection.status`. */
export function connection(): ReadableAtom<ConnectionState> {
  return getLiveTopicClient().status
}
