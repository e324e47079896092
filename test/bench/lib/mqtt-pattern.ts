/**
 * Filter matching as mqtt-react-hooks does it (through mqtt-pattern's `matches`): split both and
 * compare level by level. Each mounted hook runs it on every message, so dispatch is a linear scan.
 */
export function patternMatches(pattern: string, topic: string): boolean {
  const patternSegments = pattern.split('/')
  const topicSegments = topic.split('/')
  const patternLength = patternSegments.length
  for (let i = 0; i < patternLength; i++) {
    const current = patternSegments[i]!
    const segment = topicSegments[i]
    if (!segment && !current) continue
    if (!segment && current !== '#') return false
    if (current[0] === '#') return i === patternLength - 1
    if (current[0] !== '+' && current !== segment) return false
  }
  return patternLength === topicSegments.length
}
