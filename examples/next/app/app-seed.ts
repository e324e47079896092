// TEMPORARY until examples/shared/app-seed.ts (lead) and readRetained (seed) land
import { GetRetainedMessageCommand } from '@aws-sdk/client-iot-data-plane'
import { dataPlaneClient } from '../../shared/backend.js'
import { topics, type Announcement, type Roster } from '../../shared/config.js'

export interface AppSeed {
  announcements?: Announcement
  'presence/roster'?: Roster
}

export async function readAppSeed(httpUrl: string): Promise<AppSeed> {
  const client = dataPlaneClient(httpUrl)
  const read = async (topic: string): Promise<unknown> => {
    try {
      const { payload } = await client.send(new GetRetainedMessageCommand({ topic }))
      return payload ? JSON.parse(new TextDecoder().decode(payload)) : undefined
    } catch {
      return undefined
    }
  }
  try {
    const [a, r] = await Promise.all([read(topics.announcements), read(topics.roster)])
    const seed: AppSeed = {}
    if (a) seed.announcements = a as Announcement
    if (r) seed['presence/roster'] = r as Roster
    return seed
  } finally {
    client.destroy()
  }
}
