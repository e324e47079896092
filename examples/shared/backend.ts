import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane'
import { topics, type Announcement } from './config.js'

/**
 * The app's backend side: publishes through the IoT Data Plane HTTP API with the official AWS SDK,
 * as a Lambda or server would. Against the local broker the endpoint is its HTTP URL and the
 * credentials are dummies (the stand-in does not check SigV4); on AWS, drop both options.
 */
export function dataPlaneClient(httpUrl: string): IoTDataPlaneClient {
  return new IoTDataPlaneClient({
    endpoint: httpUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALEXAMPLE', secretAccessKey: 'local-example-secret' },
    maxAttempts: 1,
  })
}

/** Publishes an announcement, retained so tabs opened later show it too. */
export async function announce(client: IoTDataPlaneClient, text: string, now = Date.now()): Promise<Announcement> {
  const announcement: Announcement = { text, at: now }
  await client.send(
    new PublishCommand({
      topic: topics.announcements,
      payload: new TextEncoder().encode(JSON.stringify(announcement)),
      qos: 1,
      retain: true,
    }),
  )
  return announcement
}
