interface TrieNode<V> {
  children: Map<string, TrieNode<V>>
  value?: V
}

const node = <V>(): TrieNode<V> => ({ children: new Map() })

/**
 * MQTT topic filters → values, matched against topic names level by level, so the cost of a
 * lookup grows with the topic's depth and the wildcards that match, not the number of filters.
 * Same rules as `topicMatches` (topic-match.ts), which the property tests hold it to.
 */
export class TopicTrie<V> {
  private readonly root: TrieNode<V> = node()
  private count = 0

  /** @param hashMatchesParent whether `a/#` matches `a` (MQTT spec: yes; AWS IoT Core: no). */
  constructor(private readonly hashMatchesParent = true) {}

  get size(): number {
    return this.count
  }

  get(filter: string): V | undefined {
    let current: TrieNode<V> | undefined = this.root
    for (const level of filter.split('/')) {
      current = current.children.get(level)
      if (!current) return undefined
    }
    return current.value
  }

  set(filter: string, value: V): void {
    let current = this.root
    for (const level of filter.split('/')) {
      let next = current.children.get(level)
      if (!next) current.children.set(level, (next = node()))
      current = next
    }
    if (current.value === undefined) this.count++
    current.value = value
  }

  delete(filter: string): boolean {
    const path: TrieNode<V>[] = [this.root]
    const levels = filter.split('/')
    for (const level of levels) {
      const next = path[path.length - 1]!.children.get(level)
      if (!next) return false
      path.push(next)
    }
    const leaf = path[path.length - 1]!
    if (leaf.value === undefined) return false
    delete leaf.value
    this.count--
    // prune nodes left with neither a value nor children
    for (let i = levels.length; i > 0; i--) {
      const current = path[i]!
      if (current.value !== undefined || current.children.size > 0) break
      path[i - 1]!.children.delete(levels[i - 1]!)
    }
    return true
  }

  /** Calls `visit` with the value of every filter that matches `topic`. */
  match(topic: string, visit: (value: V) => void): void {
    const levels = topic.split('/')
    // MQTT 4.7.2: topics starting with '$' are not matched by a leading wildcard
    const reserved = topic.startsWith('$')
    const walk = (current: TrieNode<V>, index: number): void => {
      const wild = !(reserved && index === 0)
      if (index === levels.length) {
        if (current.value !== undefined) visit(current.value)
        if (this.hashMatchesParent) {
          const hash = current.children.get('#')
          if (hash?.value !== undefined && index > 0) visit(hash.value)
        }
        return
      }
      if (wild) {
        const hash = current.children.get('#')
        if (hash?.value !== undefined) visit(hash.value)
        const plus = current.children.get('+')
        if (plus) walk(plus, index + 1)
      }
      const exact = current.children.get(levels[index]!)
      if (exact) walk(exact, index + 1)
    }
    walk(this.root, 0)
  }
}
