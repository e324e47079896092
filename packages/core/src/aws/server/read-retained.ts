import { GetRetainedMessageCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane'
import { jsonCodec, type Codec } from '../../codecs.js'
import { LiveTopicError } from '../../errors.js'
import { callSafely } from '../../isolate.js'
import type { Seed } from '../../seeds.js'
import { assertTopicName } from '../../topic-validation.js'
import type { TopicMap } from '../../types.js'

/** Options of {@link readRetained}. */
export interface ReadRetainedOptions {
  /** Decoder of the payloads (default JSON): the seed holds decoded values, like a topic store's `data`. */
  codec?: Codec<unknown>
  /** How long the whole read may take, in ms (default 1500): topics not read by then are left out. */
  timeout?: number
  /** Told of every topic left out for a failure (not for a topic with no retained message). Default: `console.warn`. */
  onError?: (error: LiveTopicError) => void
}

// what a failed request reveals: SDK service errors carry a name and an HTTP status
interface ServiceFailure {
  name?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

const warn = (error: LiveTopicError): void => console.warn(`livetopic: readRetained left "${error.topic ?? ''}" out: ${error.message}`)

/** The error a failed GetRetainedMessage becomes; `undefined` for "no retained message" (not a failure). */
function failure(topic: string, cause: unknown, timedOut: boolean, timeout: number): LiveTopicError | undefined {
  const { name, $metadata } = (typeof cause === 'object' && cause !== null ? cause : {}) as ServiceFailure
  const status = $metadata?.httpStatusCode
  if (name === 'ResourceNotFoundException' || status === 404) return undefined
  if (timedOut) return new LiveTopicError('CONNECTION_FAILED', `GetRetainedMessage on "${topic}" timed out after ${timeout} ms`, { topic })
  if (status === 401 || status === 403 || name === 'UnauthorizedException' || name === 'ForbiddenException')
    return new LiveTopicError('NOT_AUTHORIZED', `GetRetainedMessage on "${topic}" was refused (${name ?? status})`, { topic, cause })
  return new LiveTopicError('CONNECTION_FAILED', `GetRetainedMessage on "${topic}" failed (${name ?? 'no answer'})`, { topic, cause })
}

/**
 * Reads the retained message of each topic through the IoT Data Plane API (`GetRetainedMessage`,
 * one request per topic, in parallel) and returns them decoded, as a seed for `createClient({ seed })`
 * or `client.seed()`. For server code (Node): a page render gets the last value of live topics.
 *
 * Never throws: a topic with no retained message is left out silently; any other failure (network,
 * refused, timeout, a wildcard filter, a payload that does not decode) leaves that topic out and is
 * reported to `onError` as a redacted `LiveTopicError`, so a page still renders when the data plane
 * is down.
 */
export async function readRetained<Topics extends TopicMap = TopicMap>(
  dataPlane: IoTDataPlaneClient,
  topics: readonly string[],
  options: ReadRetainedOptions = {},
): Promise<Seed<Topics>> {
  const codec = options.codec ?? jsonCodec
  const report = (error: LiveTopicError): void => callSafely(options.onError ?? warn, error)
  const timeout = options.timeout ?? 1500
  const abort = new AbortController()
  // the abort ends pending requests; the race settles even if a request ignores it
  const deadline = new Promise<'timeout'>((resolve) => abort.signal.addEventListener('abort', () => resolve('timeout'), { once: true }))
  const timer = setTimeout(() => abort.abort(), timeout)

  const read = async (topic: string): Promise<[string, unknown] | undefined> => {
    if (/[+#]/.test(topic)) {
      report(new LiveTopicError('INVALID_TOPIC', `"${topic}" is a filter: GetRetainedMessage reads one topic name, without + or #`, { topic }))
      return undefined
    }
    try {
      assertTopicName(topic)
    } catch (error) {
      report(error instanceof LiveTopicError ? error : new LiveTopicError('INVALID_TOPIC', String(error), { topic }))
      return undefined
    }
    let payload: Uint8Array | undefined
    try {
      const answer = await Promise.race([dataPlane.send(new GetRetainedMessageCommand({ topic }), { abortSignal: abort.signal }), deadline])
      if (answer === 'timeout') throw new Error('timeout')
      payload = answer.payload
    } catch (cause) {
      const error = failure(topic, cause, abort.signal.aborted, timeout)
      if (error) report(error)
      return undefined
    }
    // an empty payload deletes a retained message: IoT Core keeps none, so there is nothing to seed
    if (!payload || payload.length === 0) return undefined
    try {
      return [topic, codec.decode(payload)]
    } catch (cause) {
      report(new LiveTopicError('DECODE_FAILED', `the retained ${payload.length}-byte payload on "${topic}" is not valid ${codec.name}`, { topic, cause }))
      return undefined
    }
  }

  try {
    const entries = await Promise.all([...new Set(topics)].map(read))
    return Object.fromEntries(entries.filter((entry) => entry !== undefined)) as Seed<Topics>
  } finally {
    clearTimeout(timer)
  }
}
