import { useConnection } from '@livetopic/react'
import { describeConnection, describeRole } from '../../../shared/ui.js'

/** connecting / connected / reconnecting, with the error when there is one, and the tab's role. */
export function ConnectionBadge() {
  const state = useConnection()
  const badge = describeConnection(state)
  const role = describeRole(state)
  return (
    <p className={`badge ${badge.tone}`} role="status" aria-label="Connection" data-status={badge.label} data-role={state.role}>
      <span>{badge.label}</span>
      {role && <span className="role">{role}</span>}
      {badge.detail && (
        <span className="detail" title={badge.detail}>
          {badge.detail}
        </span>
      )}
    </p>
  )
}
