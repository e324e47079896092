import fc from 'fast-check'
import { Policy } from '@livetopic/broker'
import { describe, expect, it } from 'vitest'
import { codePoints, compileGlob, globMatches } from '../../packages/broker/src/policy-glob.js'
import { useBroker } from '../helpers/broker.js'
import { sleep } from '../helpers/wait.js'
import { ARN, closed, connect, inbox, policy, recordingAuthorizer } from './support.js'

/** The definition itself, by recursion: obviously right, exponential, fine for short strings. */
function reference(glob: string, text: string): boolean {
  const g = [...glob]
  const t = [...text]
  const at = (i: number, j: number): boolean => {
    if (i === g.length) return j === t.length
    if (g[i] === '*') return at(i + 1, j) || (j < t.length && at(i, j + 1))
    return j < t.length && (g[i] === '?' || g[i] === t[j]) && at(i + 1, j + 1)
  }
  return at(0, 0)
}

const matches = (glob: string, text: string): boolean => globMatches(compileGlob(glob), codePoints(text))

describe('policy wildcard matching', () => {
  it('agrees with the reference matcher on random globs and texts (fast-check)', () => {
    // a small alphabet so that matches are common; an astral character checks that ? counts code points
    const char = fc.constantFrom('a', 'b', '/', '+', '#', '😀')
    const globChar = fc.oneof(char, fc.constantFrom('*', '?'))
    fc.assert(
      fc.property(fc.array(globChar, { maxLength: 10 }), fc.array(char, { maxLength: 12 }), (g, t) => {
        expect(matches(g.join(''), t.join(''))).toBe(reference(g.join(''), t.join('')))
      }),
      { numRuns: 3000 },
    )
  })

  it('evaluates a 2,048-character policy full of stars against a 256-byte topic at once (the ReDoS attack)', () => {
    const resource = `${ARN}topic/${'*a'.repeat(1100)}`.slice(0, 2047) + 'b'
    const pol = new Policy([JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: resource }] })], ARN)
    const started = performance.now()
    expect(pol.evaluate('iot:Publish', 'a'.repeat(256), 'c').allowed).toBe(false)
    // a guard with a generous bound, not a timing test: bench policy-match measures it
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it("answers a publish against the probe's policy topic/*a*a*a*a*a*b at once, end to end", async () => {
    const hostile = policy(
      { Action: 'iot:Connect', Resource: '*' },
      { Action: 'iot:Publish', Resource: `${ARN}topic/*a*a*a*a*a*b` },
      { Action: ['iot:Subscribe', 'iot:Receive'], Resource: '*' },
    )
    const broker = await useBroker({ authorizer: recordingAuthorizer({ policyDocuments: [hostile] }).authorizer, logger: 'silent' })
    const attacker = await connect(broker.url, { clientId: 'attacker' })
    const bystander = await connect(broker.url, { clientId: 'bystander' })
    const started = performance.now()
    const gone = closed(attacker)
    attacker.publish('a'.repeat(100), 'x')
    await gone
    await bystander.subscribeAsync('still/here')
    expect(performance.now() - started).toBeLessThan(1000)
    expect(matches('*a*a*a*a*a*b', `${'a'.repeat(99)}b`)).toBe(true)
  })

  it('keeps a client id full of wildcard characters literal in ${iot:ClientId}', () => {
    const pol = new Policy([policy({ Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/client/\${iot:ClientId}` })], ARN)
    for (const id of ['*', '?', '+', '#', '**']) {
      expect(pol.evaluate('iot:Publish', 'client/bob', id).allowed).toBe(false)
      expect(pol.evaluate('iot:Receive', 'client/bob', id).allowed).toBe(false)
      expect(pol.evaluate('iot:Publish', `client/${id}`, id).allowed).toBe(true)
    }
  })
})

describe('${iot:ClientId} with wildcard characters, end to end', () => {
  // a per-client inbox: each client may subscribe to, publish on and receive client/<own id>
  const perClient = policy(
    { Action: 'iot:Connect', Resource: `${ARN}client/*` },
    { Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/client/\${iot:ClientId}` },
    { Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/client/\${iot:ClientId}` },
  )

  it('client "+" may subscribe to client/+ as IoT allows, but receives no other client\'s messages', async () => {
    const broker = await useBroker({ authorizer: recordingAuthorizer({ policyDocuments: [perClient] }).authorizer, logger: 'silent' })
    const attacker = await connect(broker.url, { clientId: '+' })
    const got = inbox(attacker)
    await attacker.subscribeAsync('client/+')
    const bob = await connect(broker.url, { clientId: 'bob' })
    await bob.subscribeAsync('client/bob')
    await bob.publishAsync('client/bob', 'private', { qos: 1 })
    await sleep(200)
    expect(got).toEqual([])
    expect(attacker.connected).toBe(true)
  })

  it('clients "*" and "?" cannot publish to another client\'s topic', async () => {
    const broker = await useBroker({ authorizer: recordingAuthorizer({ policyDocuments: [perClient] }).authorizer, logger: 'silent' })
    for (const id of ['*', '???']) {
      const attacker = await connect(broker.url, { clientId: id })
      const gone = closed(attacker)
      attacker.publish('client/bob', 'forged')
      await gone
    }
  })
})
