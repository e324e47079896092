import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane'
import type { RuleContext, TopicRule } from '@livetopic/broker'
import { exampleRules } from '../../shared/rules.js'

/**
 * The Lambda action of a topic rule whose action is a JavaScript function: it runs that same
 * function from `examples/shared/rules.ts` (named by LIVETOPIC_RULE), and its `republish` goes
 * through the IoT Data Plane API. The event is the rule's SELECT result, as IoT sends it.
 * Differences from the stand-in: `context.topic` and `context.clientId` are empty (IoT passes only
 * the SELECT result; select `topic()`/`clientid()` when you need them), and state kept in the
 * rule (the roster) lives only as long as one warm Lambda instance.
 */
const rules: TopicRule[] = exampleRules() // module scope: kept between invocations of a warm instance
// the data endpoint host (a full URL is accepted too: the tests point it at the stand-in's Data Plane API)
const endpoint = process.env.LIVETOPIC_IOT_ENDPOINT ?? ''
const client = new IoTDataPlaneClient({ endpoint: endpoint.includes('://') ? endpoint : `https://${endpoint}` })

const bytes = (payload: unknown): Uint8Array =>
  Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))

export async function handler(event: Record<string, unknown>): Promise<void> {
  const rule = rules.find((r) => r.name === process.env.LIVETOPIC_RULE)
  if (!rule || !('action' in rule)) throw new Error(`no rule with a function action named '${process.env.LIVETOPIC_RULE}'`)
  const context: RuleContext = {
    topic: '',
    clientId: '',
    timestamp: Date.now(),
    payload: Buffer.from(JSON.stringify(event)),
    republish: async (topic, payload, options = {}) => {
      await client.send(new PublishCommand({ topic, qos: options.qos ?? 0, retain: options.retain ?? false, payload: bytes(payload) }))
    },
  }
  await rule.action(event, context)
}
