import type { LiveTopicClient } from '@livetopic/core'
import { clock, h } from './dom.js'
import { errorText } from './format.js'
import { DevtoolsModel, type LogFilter } from './model.js'
import { styles } from './styles.js'

/** The custom element's tag. */
export const TAG = 'livetopic-devtools'

const OPEN_KEY = 'livetopic-devtools:open'

/** Whether the panel was open before this reload (per tab). */
export function wasOpen(): boolean {
  try {
    return sessionStorage.getItem(OPEN_KEY) === '1'
  } catch {
    return false
  }
}

const TABS = ['Connection', 'Topics', 'Messages', 'Events', 'Publish'] as const
type Tab = (typeof TABS)[number]

/** `Alt+Shift+L` → a test of a keydown event (letters by their physical key: Alt changes `key` on macOS). */
function shortcutMatcher(shortcut: string): (event: KeyboardEvent) => boolean {
  const parts = shortcut
    .toLowerCase()
    .split('+')
    .map((p) => p.trim())
  const key = parts.pop() ?? ''
  const want = { alt: parts.includes('alt'), shift: parts.includes('shift'), ctrl: parts.includes('ctrl'), meta: parts.includes('meta') }
  return (event) =>
    event.altKey === want.alt &&
    event.shiftKey === want.shift &&
    event.ctrlKey === want.ctrl &&
    event.metaKey === want.meta &&
    (event.code.toLowerCase() === `key${key}` || event.key.toLowerCase() === key)
}

/**
 * `<livetopic-devtools>`: a floating button and a panel in a shadow root, showing one client.
 * Set `client` to show a client (setting another switches to it); `open` shows or hides the panel.
 */
export class LiveTopicDevtoolsElement extends HTMLElement {
  #model?: DevtoolsModel
  #stopModel?: () => void
  #tab: Tab = 'Messages'
  #filter: LogFilter = { text: '', show: 'all' }
  #frame = 0
  readonly #root: ShadowRoot
  readonly #panel: HTMLElement
  readonly #toggle: HTMLButtonElement
  readonly #dot: HTMLElement
  readonly #summary: HTMLElement
  readonly #tabs = new Map<Tab, { button: HTMLButtonElement; section: HTMLElement; body: HTMLElement }>()
  readonly #publishResult: HTMLElement

  constructor() {
    super()
    this.#root = this.attachShadow({ mode: 'open' })
    this.#dot = h('span', { class: 'dot', 'aria-hidden': 'true' })
    this.#toggle = h('button', { class: 'toggle', type: 'button', 'aria-expanded': 'false', title: 'livetopic devtools' }, this.#dot, 'livetopic')
    this.#toggle.addEventListener('click', () => (this.open = !this.open))
    this.#summary = h('span', { class: 'muted', 'aria-label': 'Connection summary' })
    const close = h('button', { class: 'close', type: 'button', 'aria-label': 'Close devtools' }, '×')
    close.addEventListener('click', () => (this.open = false))
    const nav = h('nav', { role: 'tablist', 'aria-label': 'Devtools sections' })
    const sections: HTMLElement[] = []
    for (const tab of TABS) {
      const button = h('button', { type: 'button', role: 'tab', 'aria-selected': 'false' }, tab)
      button.addEventListener('click', () => this.#select(tab))
      const body = h('div')
      const section = h('section', { role: 'tabpanel', 'aria-label': tab, hidden: true }, ...this.#controls(tab), body)
      nav.append(button)
      sections.push(section)
      this.#tabs.set(tab, { button, section, body })
    }
    this.#publishResult = h('p', { role: 'status', 'aria-label': 'Publish result' })
    this.#tabs.get('Publish')?.section.append(this.#publishResult)
    this.#panel = h(
      'div',
      { class: 'panel', role: 'dialog', 'aria-label': 'livetopic devtools', hidden: true },
      h('header', {}, h('h2', {}, 'livetopic'), this.#summary, close),
      nav,
      ...sections,
    )
    this.#root.append(h('style', {}, styles), this.#panel, this.#toggle)
    this.#select(this.#tab)
  }

  /** The client shown. */
  get client(): LiveTopicClient | undefined {
    return this.#model?.client
  }

  set client(client: LiveTopicClient | undefined) {
    if (client === this.#model?.client) return
    this.#stopModel?.()
    this.#model?.stop()
    this.#model = client ? new DevtoolsModel(client, Number(this.getAttribute('limit')) || 200) : undefined
    if (this.#model) {
      this.#stopModel = this.#model.onChange(() => this.#schedule())
      this.#model.start()
    }
    this.#schedule()
  }

  /** Whether the panel is shown (the button always is). */
  get open(): boolean {
    return !this.#panel.hidden
  }

  set open(open: boolean) {
    this.#panel.hidden = !open
    this.#toggle.setAttribute('aria-expanded', String(open))
    // remembered for the tab's next reload
    try {
      sessionStorage.setItem(OPEN_KEY, open ? '1' : '')
    } catch {
      // storage disabled: nothing to remember
    }
    this.#schedule()
  }

  /** The key that opens and closes the panel, e.g. `Alt+Shift+L`; empty: none. */
  shortcut = 'Alt+Shift+L'

  readonly #onKey = (event: KeyboardEvent): void => {
    if (!this.shortcut || !shortcutMatcher(this.shortcut)(event)) return
    event.preventDefault()
    this.open = !this.open
  }

  /** Whether the floating button shows (the shortcut works either way). */
  get button(): boolean {
    return !this.#toggle.hidden
  }

  set button(shown: boolean) {
    this.#toggle.hidden = !shown
  }

  connectedCallback(): void {
    document.addEventListener('keydown', this.#onKey)
  }

  disconnectedCallback(): void {
    document.removeEventListener('keydown', this.#onKey)
    this.client = undefined
    cancelAnimationFrame(this.#frame)
    this.#frame = 0
  }

  #select(tab: Tab): void {
    this.#tab = tab
    for (const [name, { button, section }] of this.#tabs) {
      button.setAttribute('aria-selected', String(name === tab))
      section.hidden = name !== tab
    }
    this.#schedule()
  }

  // renders at most once a frame, however many messages arrive
  #schedule(): void {
    if (this.#frame) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0
      this.#render()
    })
  }

  #render(): void {
    const model = this.#model
    const status = model?.status
    this.#dot.dataset['status'] = status?.status ?? 'idle'
    this.#summary.textContent = status ? `${status.status}${status.role ? ` · ${status.role}` : ''} · ${status.clientId}` : 'no client'
    if (!this.open || !model) return
    const body = this.#tabs.get(this.#tab)?.body
    if (!body) return
    if (this.#tab === 'Connection') body.replaceChildren(...this.#connection(model))
    else if (this.#tab === 'Topics') body.replaceChildren(this.#topics(model))
    else if (this.#tab === 'Messages') body.replaceChildren(this.#log(model))
    else if (this.#tab === 'Events') body.replaceChildren(this.#events(model))
  }

  #connection(model: DevtoolsModel): Node[] {
    const state = model.status
    const facts = h(
      'p',
      {},
      `status: ${state.status} · role: ${state.role ?? 'own connection'} · attempt: ${state.attempt}`,
      state.error && h('span', { class: 'error' }, ` · ${errorText(state.error)}`),
    )
    const reconnect = h('button', { type: 'button' }, 'Reconnect now')
    reconnect.addEventListener('click', () => model.client.reconnect())
    const history = h(
      'ol',
      { 'aria-label': 'Status history' },
      ...model.statusHistory.map((entry) =>
        h(
          'li',
          {},
          h('span', { class: 'time' }, clock(entry.at)),
          entry.status,
          entry.role && ` (${entry.role})`,
          entry.error && h('span', { class: 'error' }, ` ${entry.error}`),
        ),
      ),
    )
    const inspected = model.inspector ? undefined : h('p', { class: 'error' }, 'This client cannot be inspected (another copy of @livetopic/core?).')
    return [facts, reconnect, h('h3', {}, 'History'), history, ...(inspected ? [inspected] : [])]
  }

  #topics(model: DevtoolsModel): Node {
    const rows = model.topics()
    if (rows.length === 0) return h('p', { class: 'muted' }, 'No topic is subscribed.')
    return h(
      'table',
      { 'aria-label': 'Topics' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Filter'), h('th', {}, 'Listeners'), h('th', {}, 'State'), h('th', {}, 'Last message'))),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          h(
            'tr',
            {},
            h('td', {}, row.filter),
            h('td', {}, String(row.listeners)),
            h('td', { class: row.error ? 'error' : undefined }, row.state, row.error && ` ${errorText(row.error)}`),
            h('td', {}, row.last ? `${clock(row.last.at)} ${row.last.text}` : '—'),
          ),
        ),
      ),
    )
  }

  #log(model: DevtoolsModel): Node {
    const entries = model.filteredLog(this.#filter)
    return h(
      'ol',
      { role: 'log', 'aria-label': 'Message log' },
      ...entries.map((entry) =>
        h(
          'li',
          {},
          h('span', { class: 'time' }, clock(entry.at)),
          h('span', { class: entry.direction }, entry.direction === 'in' ? '← ' : '→ '),
          `${entry.topic}${entry.retained ? ' (retained)' : ''} `,
          entry.text,
          entry.error && h('span', { class: 'error' }, ` ✕ ${entry.error}`),
        ),
      ),
    )
  }

  #events(model: DevtoolsModel): Node {
    return h(
      'ol',
      { role: 'log', 'aria-label': 'Debug events' },
      ...model.events.map((event) =>
        h('li', { class: event.failed ? 'error' : undefined }, h('span', { class: 'time' }, clock(event.at)), `${event.type} `, event.text),
      ),
    )
  }

  // the parts of a tab that stay while its body re-renders (an input keeps focus and caret)
  #controls(tab: Tab): HTMLElement[] {
    if (tab === 'Messages') {
      const text = h('input', { type: 'search', placeholder: 'topic or payload contains…', 'aria-label': 'Filter messages' })
      text.addEventListener('input', () => {
        this.#filter.text = text.value
        this.#schedule()
      })
      const show = h('select', { 'aria-label': 'Show' }, ...(['all', 'in', 'out', 'errors'] as const).map((v) => h('option', { value: v }, v)))
      show.addEventListener('change', () => {
        this.#filter.show = show.value as LogFilter['show']
        this.#schedule()
      })
      const clear = h('button', { type: 'button' }, 'Clear')
      clear.addEventListener('click', () => this.#model?.clear())
      return [h('div', { class: 'controls' }, text, show, clear)]
    }
    if (tab === 'Publish') return [this.#publishForm()]
    return []
  }

  #publishForm(): HTMLElement {
    const topic = h('input', { name: 'topic', required: true, autocomplete: 'off' })
    const body = h('textarea', { name: 'payload' })
    const qos = h('select', { name: 'qos' }, h('option', { value: '0' }, '0'), h('option', { value: '1' }, '1'))
    const retain = h('input', { type: 'checkbox', name: 'retain' })
    const form = h(
      'form',
      { 'aria-label': 'Publish' },
      h('label', {}, 'Topic', topic),
      h('label', {}, 'Payload (JSON or text)', body),
      h('div', { class: 'controls' }, h('label', { class: 'inline' }, 'QoS ', qos), h('label', { class: 'inline' }, retain, ' retain')),
      h('button', { type: 'submit' }, 'Publish'),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const model = this.#model
      if (!model) return
      this.#publishResult.className = 'muted'
      this.#publishResult.textContent = 'sending…'
      model.publish(topic.value.trim(), body.value, { qos: qos.value === '1' ? 1 : 0, retain: retain.checked }).then(
        () => {
          this.#publishResult.textContent = `sent to ${topic.value.trim()}`
        },
        (error: unknown) => {
          this.#publishResult.className = 'error'
          this.#publishResult.textContent = errorText(error)
        },
      )
    })
    return form
  }
}

/** Defines `<livetopic-devtools>` once per page. */
export function defineElement(): void {
  if (!customElements.get(TAG)) customElements.define(TAG, LiveTopicDevtoolsElement)
}
