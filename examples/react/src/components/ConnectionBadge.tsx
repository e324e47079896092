import { useConnection } from '@livetopic/react'
import { describeConnection } from '../../../shared/ui.js'

/** connecting / connected / reconnecting, with the error when there is one. */
export function ConnectionBadge() {
  const badge = describeConnection(useConnection())
  return (
    <p className={`badge ${badge.tone}`} role="status" aria-label="Connection" data-status={badge.label}>
      <span>{badge.label}</span>
      {badge.detail && <span className="detail" title={badge.detail}>{badge.detail}</span>}
    </p>
  )
}
