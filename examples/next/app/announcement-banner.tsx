import { useTopic } from '@livetopic/react'
import { topics, type Announcement } from '../../shared/config.js'
import { LocalTime } from './local-time.js'

/**
 * The latest server announcement (retained). With the server's seed it is in the first paint.
 * `suspense: true`: mounted in the browser before any announcement came (no seed), it shows the
 * `<Suspense>` fallback until the retained message arrives; on the server and while hydrating it
 * never suspends, so hydration reuses the server's HTML as it is.
 */
export function AnnouncementBanner() {
  const { data } = useTopic<Announcement>(topics.announcements, { suspense: true })
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
