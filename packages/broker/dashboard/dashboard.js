// The broker's dashboard: the AWS console's MQTT test client and Monitor, for the local stand-in.
// It is a livetopic client like any other (core is bundled next to this file as livetopic.js).
import { createClient, textCodec } from './livetopic.js'

const $ = (id) => document.getElementById(id)
const MAX_MESSAGES = 200
// the broker writes the page's config (and its key) into the HTML; no API hands it out
const config = JSON.parse($('livetopic-dashboard-config').textContent)
const fetchState = async () => (await fetch('/api/dashboard', { headers: { 'x-livetopic-dashboard-key': config.dashboard.password } })).json()

$('endpoints').textContent = `MQTT over WebSocket ${config.wsUrl} · HTTP API ${config.httpUrl}`
$('stat-auth').textContent = config.authorization ? 'on' : 'off'

const live = createClient({
  // the host the page was loaded from (the broker may be bound to 0.0.0.0), the broker's MQTT path
  url: new URL(new URL(config.wsUrl).pathname, location.href.replace(/^http/, 'ws')).href,
  clientId: `dashboard-${Math.random().toString(36).slice(2, 10)}`,
  // the broker lets its own dashboard in past the authorizer with a key made at start-up
  username: config.dashboard.username,
  password: config.dashboard.password,
  codec: textCodec,
  unsubscribeDelay: 0,
})
window.livetopicDashboard = live

live.status.subscribe(({ status, error }) => {
  const badge = $('connection')
  badge.dataset.status = status
  badge.textContent = error && status !== 'connected' ? `${status}: ${error.message}` : status
})

// Monitor: polled counters, turned into rates
let previous
async function refresh() {
  const now = await fetchState()
  $('stat-connections').textContent = String(now.connections.length)
  $('stat-subscriptions').textContent = String(now.subscriptions)
  if (previous) {
    const seconds = (now.time - previous.time) / 1000 || 1
    $('stat-in').textContent = String(Math.round((now.messagesIn - previous.messagesIn) / seconds))
    $('stat-out').textContent = String(Math.round((now.messagesOut - previous.messagesOut) / seconds))
  }
  previous = now
  $('connections').replaceChildren(
    ...now.connections.map((c) => {
      const row = document.createElement('tr')
      for (const text of [c.clientId, c.principalId ?? '–', new Date(c.connectedAt).toLocaleTimeString(), String(c.subscriptions.length)]) {
        const cell = document.createElement('td')
        cell.textContent = text
        row.append(cell)
      }
      return row
    }),
  )
}
await refresh()
setInterval(refresh, 1000)

// Topic tree: every topic seen, with its last payload
const tree = new Map()
function render() {
  const root = { children: new Map() }
  for (const [topic, last] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    let node = root
    for (const level of topic.split('/')) {
      if (!node.children.has(level)) node.children.set(level, { children: new Map() })
      node = node.children.get(level)
    }
    node.last = last
  }
  const build = (node, name) => {
    const details = document.createElement('details')
    details.open = true
    details.setAttribute('role', 'treeitem')
    const summary = document.createElement('summary')
    summary.textContent = name
    if (node.last) {
      const payload = document.createElement('span')
      payload.className = 'payload'
      payload.textContent = node.last.length > 80 ? `${node.last.slice(0, 80)}…` : node.last
      summary.append(payload)
    }
    details.append(summary, ...[...node.children].map(([child, sub]) => build(sub, child)))
    return details
  }
  $('tree').replaceChildren(...[...root.children].map(([name, node]) => build(node, name)))
}
let renderQueued = false
const remember = (message) => {
  tree.set(message.topic, message.payload)
  if (!renderQueued) {
    renderQueued = true
    requestAnimationFrame(() => {
      renderQueued = false
      render()
    })
  }
}
live.onMessage('#', remember)
live.onMessage('$aws/events/#', remember)

// Test client: subscribe to filters, see their messages; publish
function showMessage(message) {
  const item = document.createElement('li')
  item.textContent = `${new Date(message.receivedAt).toLocaleTimeString()} ${message.topic}${message.retained ? ' (retained)' : ''}: ${message.payload}`
  $('messages').prepend(item)
  while ($('messages').children.length > MAX_MESSAGES) $('messages').lastElementChild.remove()
}
$('subscribe-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const filter = new FormData(event.target).get('filter').trim()
  const item = document.createElement('li')
  try {
    const stop = live.onMessage(filter, showMessage, {
      onError: (error) => {
        item.textContent = `${filter}: ${error.message}`
        item.className = 'error'
      },
    })
    item.textContent = filter
    const remove = document.createElement('button')
    remove.type = 'button'
    remove.textContent = 'Unsubscribe'
    remove.setAttribute('aria-label', `Unsubscribe from ${filter}`)
    remove.addEventListener('click', () => {
      stop()
      item.remove()
    })
    item.append(' ', remove)
  } catch (error) {
    item.textContent = `${filter}: ${error.message}`
    item.className = 'error'
  }
  $('subscriptions').append(item)
})
$('publish-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const form = new FormData(event.target)
  const result = $('publish-result')
  try {
    await live.publish(form.get('topic').trim(), form.get('payload'), { qos: Number(form.get('qos')), retain: form.get('retain') === 'on' })
    result.textContent = 'published'
    result.className = ''
  } catch (error) {
    result.textContent = error.message
    result.className = 'error'
  }
})
