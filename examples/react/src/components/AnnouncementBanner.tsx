import { useTopic } from '@livetopic/react'
import { topics, type Announcement } from '../../../shared/config.js'
import { formatTime } from '../../../shared/ui.js'

/** The latest server announcement (retained, so a new tab shows it at once). */
export function AnnouncementBanner() {
  const { data } = useTopic<Announcement>(topics.announcements)
  return (
    <section aria-label="Announcement" aria-live="polite">
      {data?.text && (
        <p className="banner">
          <strong>Announcement</strong>
          {data.text}
          <time dateTime={new Date(data.at).toISOString()}>{formatTime(data.at)}</time>
        </p>
      )}
    </section>
  )
}
