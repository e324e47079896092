// TEMPORARY until examples/shared/app-seed.ts (lead) lands
import type { Seed } from '@livetopic/core'
import { readRetained } from '@livetopic/core/aws/server'
import { dataPlaneClient } from '../../shared/backend.js'
import { topics } from '../../shared/config.js'
import type { AppTopics } from '../../shared/session.js'

export type AppSeed = Seed<AppTopics>

export async function readAppSeed(httpUrl: string): Promise<AppSeed> {
  const client = dataPlaneClient(httpUrl)
  try {
    return await readRetained<AppTopics>(client, [topics.announcements, topics.roster])
  } finally {
    client.destroy()
  }
}
