import { readAppSeed } from '../../../shared/app-seed.js'
import { brokerEndpoint } from '../../../shared/broker-env.js'

/**
 * What a signed-in page needs from the server, read on each request: the broker's addresses (from
 * the environment at run time, so one build serves any broker) and, unless `?seed=0`, the
 * retained announcement and roster the first paint shows (IoT Data Plane API).
 */
export default defineEventHandler(async (event) => {
  const { url, httpUrl } = brokerEndpoint()
  return { brokerUrl: url, httpUrl, seed: getQuery(event).seed === '0' ? {} : await readAppSeed(httpUrl) }
})
