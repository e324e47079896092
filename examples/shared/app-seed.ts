import type { Seed } from '@livetopic/core'
import { readRetained } from '@livetopic/core/aws/server'
import { dataPlaneClient } from './backend.js'
import { topics } from './config.js'
import type { AppTopics } from './session.js'

/**
 * What a server render of the room shows before any socket: the retained announcement and roster,
 * read through the IoT Data Plane API (the local stand-in's HTTP URL, or IoT Core's endpoint).
 * Never throws: a topic that cannot be read is left out and the page fills it in live.
 */
export async function readAppSeed(httpUrl: string): Promise<Seed<AppTopics>> {
  const dataPlane = dataPlaneClient(httpUrl)
  try {
    return await readRetained<AppTopics>(dataPlane, [topics.announcements, topics.roster])
  } finally {
    dataPlane.destroy()
  }
}
