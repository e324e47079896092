import { useSyncExternalStore } from 'react'
import { formatTime } from '../../shared/ui.js'

const nothingToWatch = () => () => {}

/**
 * A time in the viewer's time zone and locale. The server cannot know them, so the server render
 * and hydration show UTC (the same text on both sides: no hydration mismatch), and the browser
 * switches to local time right after hydration.
 */
export function LocalTime({ at }: { at: number }) {
  const hydrated = useSyncExternalStore(
    nothingToWatch,
    () => true,
    () => false,
  )
  const iso = new Date(at).toISOString()
  return <time dateTime={iso}>{hydrated ? formatTime(at) : `${iso.slice(11, 19)} UTC`}</time>
}
