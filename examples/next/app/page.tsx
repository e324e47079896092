import { readAppSeed } from '../../shared/app-seed.js'
import { brokerEndpoint } from '../../shared/broker-env.js'
import { JoinForm } from './join-form.js'
import { LiveRoom } from './live-room.js'
import { ResumeSignIn } from './resume-sign-in.js'

// the page depends on the request (?name) and on the broker's retained state at that moment
export const dynamic = 'force-dynamic'

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

/**
 * `/` is the join form (or, signed in already in this browser, a step to its room); `/?name=Ada` is
 * Ada's room, rendered on the server with the retained announcement and roster already in its HTML
 * (`?seed=0` leaves them to the socket). The browser signs Ada in and connects.
 */
export default async function Page({ searchParams }: PageProps) {
  const { name, seed } = await searchParams
  const who = typeof name === 'string' ? name.trim() : ''
  // from the environment at request time: one build serves any broker
  const { url, httpUrl } = brokerEndpoint()
  if (!who)
    return (
      <>
        <JoinForm />
        <ResumeSignIn httpUrl={httpUrl} />
      </>
    )
  const values = seed === '0' ? {} : await readAppSeed(httpUrl)
  return <LiveRoom key={who} name={who} brokerUrl={url} httpUrl={httpUrl} seed={values} />
}
