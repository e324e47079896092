import { env } from '$env/dynamic/private'
import { readAppSeed } from '../../../shared/app-seed.js'
import { brokerEndpoint } from '../../../shared/broker-env.js'
import type { PageServerLoad } from './$types'

// Runs on every request and on the join form's client-side navigation. The broker's address is
// read from the environment now, not at build time, so one build serves any broker. With a name,
// the retained announcement and roster are read through the Data Plane API, so the page's HTML
// already shows them; `?seed=0` leaves them to the socket (for the first-paint comparison).
export const load: PageServerLoad = async ({ url }) => {
  const name = url.searchParams.get('name')?.trim()
  const { url: brokerUrl, httpUrl } = brokerEndpoint(env)
  if (!name) return { room: undefined, httpUrl }
  const seed = url.searchParams.get('seed') === '0' ? {} : await readAppSeed(httpUrl)
  // the browser signs `name` in (httpUrl: the development sign-in) and connects (brokerUrl)
  return { room: { name, brokerUrl, httpUrl, seed }, httpUrl }
}
