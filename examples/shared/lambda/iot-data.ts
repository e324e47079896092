import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane'

/**
 * The IoT Data Plane client of a rule's Lambda: `LIVETOPIC_IOT_ENDPOINT` is the data endpoint
 * host on AWS, or the stand-in's HTTP URL locally (its Lambda runner sets it).
 */
export function iotDataClient(): IoTDataPlaneClient {
  const endpoint = process.env.LIVETOPIC_IOT_ENDPOINT ?? ''
  if (endpoint === '') throw new Error('LIVETOPIC_IOT_ENDPOINT is not set')
  return new IoTDataPlaneClient({ endpoint: endpoint.includes('://') ? endpoint : `https://${endpoint}` })
}

/** Publishes JSON on `topic`, as a rule's Lambda does. */
export async function publishJson(client: IoTDataPlaneClient, topic: string, value: unknown, options: { retain?: boolean } = {}): Promise<void> {
  await client.send(new PublishCommand({ topic, qos: 1, retain: options.retain ?? false, payload: Buffer.from(JSON.stringify(value)) }))
}
