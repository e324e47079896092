// Typed publish: which topic names a topic map allows, and the payload each one takes.
import type { KnownFilter, PublishOptions, TopicMap } from './types.js'

/** One filter level as a topic template: a wildcard (`+`, `+room`, `#`, `#rest`) stands for any text. */
type LevelTemplate<Level extends string> = Level extends `${'+' | '#'}${string}` ? string : Level

/** `rooms/+room/messages` → `` `rooms/${string}/messages` ``; a trailing `#` also gives its parent (`a/#` matches `a`). */
export type TopicTemplate<F extends string> = F extends `${infer Parent}/#${string}`
  ? `${LevelsTemplate<Parent>}/${string}` | LevelsTemplate<Parent>
  : LevelsTemplate<F>

type LevelsTemplate<F extends string> = F extends `${infer Level}/${infer Rest}` ? `${LevelTemplate<Level>}/${LevelsTemplate<Rest>}` : LevelTemplate<F>

/** The topic names a map lets you publish to: the templates of its filters, any string when no map is declared. */
export type PublishTopic<Topics extends TopicMap> = [KnownFilter<Topics>] extends [never]
  ? string
  : { [F in KnownFilter<Topics>]: TopicTemplate<F> }[KnownFilter<Topics>]

/** The payload a topic takes: the type of a filter of the map matching it (`unknown` when none does). */
export type PublishPayload<Topics extends TopicMap, T extends string> = [MatchingFilter<Topics, T>] extends [never]
  ? unknown
  : Topics[MatchingFilter<Topics, T>]

type MatchingFilter<Topics extends TopicMap, T extends string> = {
  [F in KnownFilter<Topics>]: T extends TopicTemplate<F> ? F : never
}[KnownFilter<Topics>]

/**
 * The arguments of a publish: `[topic, payload, options?]`, one tuple per filter of the map (the
 * topic one of its names, the payload its type), or any topic and payload without a map. Not
 * generic on purpose: a client typed by a map then still fits where any client is expected.
 */
export type PublishArgs<Topics extends TopicMap> = [KnownFilter<Topics>] extends [never]
  ? [topic: string, payload: unknown, options?: PublishOptions]
  : { [F in KnownFilter<Topics>]: [topic: TopicTemplate<F>, payload: Topics[F], options?: PublishOptions] }[KnownFilter<Topics>]

/**
 * `publish(topic, payload, options?)` typed by a topic map: the topic must match one of its
 * filters and the payload is that filter's type. Resolves on PUBACK (QoS 1) or once written (QoS 0).
 */
export type PublishFunction<Topics extends TopicMap = TopicMap> = (...args: PublishArgs<Topics>) => Promise<void>
