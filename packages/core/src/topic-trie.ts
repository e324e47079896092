// `children` only on nodes that have some: most nodes of a wildcard trie are leaves
interface TrieNode<V> {
  children?: Map<string, TrieNode<V>>
  value?: V
}

const hasWildcard = (filter: string): boolean => filter.includes('+') || filter.includes('#')

/**
 * MQTT topic filters → values, matched against topic names level by level, so the cost of a
 * lookup grows with the topic's depth and the wildcards that match, not the number of filters.
 * Same rules as `topicMatches` (topic-match.ts), which the property tests hold it to.
 *
 * Heap matters (apps hold thousands of exact topics): a filter without wildcards matches only the
 * topic equal to it, so it sits in one flat Map instead of a chain of nodes; the trie holds only
 * filters with `+` or `#`.
 */
export class TopicTrie<V> {
  private readonly exact = new Map<string, V>()
  private readonly root: TrieNode<V> = {}
  private wildcards = 0

  /** @param hashMatchesParent whether `a/#` matches `a` (MQTT spec: yes; AWS IoT Core: no). */
  constructor(private readonly hashMatchesParent = true) {}

  get size(): number {
    return this.exact.size + this.wildcards
  }

  get(filter: string): V | undefined {
    if (!hasWildcard(filter)) return this.exact.get(filter)
    let current: TrieNode<V> | undefined = this.root
    for (const level of filter.split('/')) {
      current = current.children?.get(level)
      if (!current) return undefined
    }
    return current.value
  }

  set(filter: string, value: V): void {
    if (!hasWildcard(filter)) {
      this.exact.set(filter, value)
      return
    }
    let current = this.root
    for (const level of filter.split('/')) {
      const children = (current.children ??= new Map<string, TrieNode<V>>())
      let next = children.get(level)
      if (!next) children.set(level, (next = {} as TrieNode<V>))
      current = next
    }
    if (current.value === undefined) this.wildcards++
    current.value = value
  }

  delete(filter: string): boolean {
    if (!hasWildcard(filter)) return this.exact.delete(filter)
    const path: TrieNode<V>[] = [this.root]
    const levels = filter.split('/')
    for (const level of levels) {
      const next = path[path.length - 1]!.children?.get(level)
      if (!next) return false
      path.push(next)
    }
    const leaf = path[path.length - 1]!
    if (leaf.value === undefined) return false
    delete leaf.value
    this.wildcards--
    // prune nodes left with neither a value nor children
    for (let i = levels.length; i > 0; i--) {
      const current = path[i]!
      if (current.value !== undefined || current.children) break
      const parent = path[i - 1]!
      parent.children!.delete(levels[i - 1]!)
      if (parent.children!.size === 0) delete parent.children
    }
    return true
  }

  /** Calls `visit` with the value of every filter that matches `topic`. */
  match(topic: string, visit: (value: V) => void): void {
    if (this.wildcards > 0) this.matchWildcards(topic, visit)
    const exact = this.exact.get(topic)
    if (exact !== undefined) visit(exact)
  }

  private matchWildcards(topic: string, visit: (value: V) => void): void {
    const levels = topic.split('/')
    // MQTT 4.7.2: topics starting with '$' are not matched by a leading wildcard
    const reserved = topic.startsWith('$')
    const walk = (current: TrieNode<V>, index: number): void => {
      const children = current.children
      if (index === levels.length) {
        if (current.value !== undefined) visit(current.value)
        if (this.hashMatchesParent && index > 0) {
          const hash = children?.get('#')
          if (hash?.value !== undefined) visit(hash.value)
        }
        return
      }
      if (!children) return
      if (!(reserved && index === 0)) {
        const hash = children.get('#')
        if (hash?.value !== undefined) visit(hash.value)
        const plus = children.get('+')
        if (plus) walk(plus, index + 1)
      }
      const exact = children.get(levels[index]!)
      if (exact) walk(exact, index + 1)
    }
    walk(this.root, 0)
  }
}
