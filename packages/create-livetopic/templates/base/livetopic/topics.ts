/** A chat message as the `chat` rule republishes it: the text and who sent it. */
export interface ChatMessage {
  text: string
  /** The sender's client id, added by the rule: a client cannot claim to be someone else. */
  author: string
}

/** What a client sends: the rule adds who sent it. */
export interface ChatInput {
  text: string
}

/** The app's topics and their payloads: every store and every publish is typed by it. */
export type AppTopics = {
  'rooms/lobby/messages': ChatMessage
  'chat/+': ChatInput
}

/** Where a client publishes its own messages; the `chat` rule adds the author and forwards them to the room. */
export const outboxOf = (clientId: string): `chat/${string}` => `chat/${clientId}`

/** The custom authorizer's name, locally and on AWS (the stack gives it this name). */
export const AUTHORIZER_NAME = 'AppAuthorizer'

// Registered once: useTopic, topic() and publish are typed by AppTopics in every component
declare module '@livetopic/core' {
  interface Register {
    topics: AppTopics
  }
}
