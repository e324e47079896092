import { readAppSeed } from '../../shared/app-seed.js'
import { brokerEndpoint } from '../../shared/broker-env.js'
import { clientIdFor } from '../../shared/names.js'
import { JoinForm } from './join-form.js'
import { LiveRoom } from './live-room.js'

// the page depends on the request (?name) and on the broker's retained state at that moment
export const dynamic = 'force-dynamic'

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

/**
 * `/` is the join form; `/?name=Ada` is Ada's room, rendered on the server with the retained
 * announcement and roster already in its HTML (`?seed=0` leaves them to the socket).
 */
export default async function Page({ searchParams }: PageProps) {
  const { name, seed } = await searchParams
  const who = typeof name === 'string' ? name.trim() : ''
  if (!who) return <JoinForm />
  // from the environment at request time: one build serves any broker
  const { url, httpUrl } = brokerEndpoint()
  const values = seed === '0' ? {} : await readAppSeed(httpUrl)
  return <LiveRoom key={who} name={who} clientId={clientIdFor(who)} brokerUrl={url} seed={values} />
}
