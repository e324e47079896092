import { useTopic } from '@livetopic/react'
import { topics, type TelemetrySample } from '../../../shared/config.js'
import { sparklinePoints } from '../../../shared/ui.js'

/** ~50 messages/s from `npm run telemetry`, rendered at most once per frame. */
export function TelemetryCard() {
  const telemetry = useTopic<TelemetrySample>(topics.telemetry, { history: 60, throttle: 'frame' })
  const latest = telemetry.data
  const values = telemetry.history.map((m) => m.payload.value)
  return (
    <section className="panel telemetry" aria-labelledby="telemetry-title">
      <h2 id="telemetry-title">Telemetry</h2>
      <p className="figure" aria-live="off">
        {latest ? `${latest.value.toFixed(1)} %` : '—'}
      </p>
      <p className="sub">{latest ? `sample #${latest.seq}` : 'Run npm run telemetry'}</p>
      <svg viewBox="0 0 240 56" preserveAspectRatio="none" role="img" aria-label="CPU load, last 60 samples">
        <polyline points={sparklinePoints(values, 240, 56)} />
      </svg>
    </section>
  )
}
