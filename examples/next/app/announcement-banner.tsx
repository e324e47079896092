import { useTopic } from '@livetopic/react'
import { topics, type Announcement } from '../../shared/config.js'
import { LocalTime } from './local-time.js'

/**
 * The latest server announcement. It suspends until there is one (`suspense: true`): from the
 * server's seed it is there on the first paint; without a seed the `<Suspense>` fallback shows
 * until the retained message arrives over the socket.
 */
export function AnnouncementBanner() {
  const { data } = useTopic<Announcement>(topics.announcements) // TEMP
  return (
    <section aria-label="Announcement" aria-live="polite">
      {data?.text && (
        <p className="banner">
          <strong>Announcement</strong>
          {data.text}
          <LocalTime at={data.at} />
        </p>
      )}
    </section>
  )
}

/** What the banner's `<Suspense>` boundary shows until the first announcement: an empty region. */
export function AnnouncementPending() {
  return <section aria-label="Announcement" aria-live="polite" aria-busy="true" />
}
