/**
 * Whether the MQTT topic filter `filter` matches the topic name `topic`: the one matcher of
 * livetopic (TopicTrie applies the same rules to many filters at once). A topic starting with `$`
 * is not matched by a leading wildcard (MQTT 4.7.2). `#` stands for one or more levels, so `a/#`
 * does not match `a`, as in AWS IoT Core; pass `hashMatchesParent: true` for the MQTT spec's rule.
 */
export function topicMatches(filter: string, topic: string, hashMatchesParent = false): boolean {
  if (topic.startsWith('$') && (filter[0] === '+' || filter[0] === '#')) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i < t.length || (hashMatchesParent && i > 0)
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false
  }
  return f.length === t.length
}
