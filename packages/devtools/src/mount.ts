import type { LiveTopicClient } from '@livetopic/core'
import type { DevtoolsOptions } from './index.js'
import { defineElement, LiveTopicDevtoolsElement, TAG, wasOpen } from './panel.js'

/**
 * Shows `client` in the page's one `<livetopic-devtools>` (created on first use). Mounting another
 * client switches the panel to it; unmounting removes the panel unless it shows another client.
 */
export function mountPanel(client: LiveTopicClient, options: DevtoolsOptions): () => void {
  defineElement()
  let element = document.querySelector(TAG)
  if (!(element instanceof LiveTopicDevtoolsElement)) {
    element = document.createElement(TAG)
    document.body.append(element)
  }
  const panel = element as LiveTopicDevtoolsElement
  if (options.limit !== undefined) panel.setAttribute('limit', String(options.limit))
  panel.shortcut = options.shortcut === false ? '' : (options.shortcut ?? 'Alt+Shift+L')
  panel.button = options.button ?? true
  panel.client = client
  panel.open = options.open ?? wasOpen()
  return () => {
    if (panel.client === client) panel.remove()
  }
}
