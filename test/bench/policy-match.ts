// Policy matching worst case (issue #10, ReDoS): one evaluation of a 2,048-character policy
// resource made of `*a` pairs against a 256-byte topic that never matches, through Policy.evaluate
// (the broker's real path), next to a typical resource. The old matcher (one regex `.*` per star)
// needed seconds for 5 stars and 100 characters; the target is ≤ 1 ms.
import { Policy } from '@livetopic/broker'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { nsPerOp, round } from './lib/stats.js'

const ARN = 'arn:aws:iot:us-east-1:123456789012:'
const REPEATS = SHORT ? 3 : 9
const MS = SHORT ? 20 : 200

const policyWith = (resource: string): Policy =>
  new Policy([JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: resource }] })], ARN)

function measure(): BenchRow[] {
  const hostile = `${ARN}topic/${'*a'.repeat(1100)}`.slice(0, 2047) + 'b'
  const topic = 'a'.repeat(256)
  // the matcher's own worst case: stars, then a long literal that nearly matches at every position
  const literalTail = `${ARN}topic/${'*'.repeat(2048)}`.slice(0, 2048 - 128) + `${'a'.repeat(127)}b`
  const worst = policyWith(hostile)
  const tail = policyWith(literalTail)
  const typical = policyWith(`${ARN}topic/rooms/\${iot:ClientId}/*`)
  if (hostile.length !== 2048 || literalTail.length !== 2048 || Buffer.byteLength(topic) !== 256) throw new Error('wrong sizes')
  if (worst.evaluate('iot:Publish', topic, 'c').allowed) throw new Error('hostile resource must not match')
  const samples = { worst: [] as number[], tail: [] as number[], typical: [] as number[] }
  for (let r = 0; r < REPEATS; r++) {
    samples.worst.push(nsPerOp(() => worst.evaluate('iot:Publish', topic, 'c'), MS))
    samples.tail.push(nsPerOp(() => tail.evaluate('iot:Publish', topic, 'c'), MS))
    samples.typical.push(nsPerOp(() => typical.evaluate('iot:Publish', 'rooms/alice/messages', 'alice'), MS))
  }
  const worstMs = Math.min(...samples.worst) / 1e6
  const tailMs = Math.min(...samples.tail) / 1e6
  const rows: BenchRow[] = [
    {
      bench: 'policy-match',
      metric: '2,048-char resource of *a pairs vs 256-byte topic',
      value: round(worstMs),
      unit: 'ms',
      target: '≤ 1',
      ok: worstMs <= 1,
      note: `Policy.evaluate, no match; min of ${REPEATS}`,
    },
    {
      bench: 'policy-match',
      metric: '2,048-char resource of stars + 128-char literal vs 256-byte topic',
      value: round(tailMs),
      unit: 'ms',
      target: '≤ 1',
      ok: tailMs <= 1,
      note: `Policy.evaluate, no match; min of ${REPEATS}`,
    },
    {
      bench: 'policy-match',
      metric: 'typical resource rooms/${iot:ClientId}/*',
      value: round(Math.min(...samples.typical)),
      unit: 'ns',
      note: `Policy.evaluate, match; min of ${REPEATS}`,
    },
  ]
  return rows
}

// synchronous: a thrown error becomes the rejection that main reports
main(() => Promise.resolve().then(measure))
