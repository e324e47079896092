import { describeOneConnectionPerBrowser } from '../e2e/support/one-connection-spec.js'
import { ensureBuilt, startSsrApp, type SsrExampleName } from './support/ssr-app.js'

// the server-rendered examples: `/?name=` renders the room, the browser signs the name in once
for (const name of ['next', 'nuxt', 'sveltekit'] satisfies SsrExampleName[])
  describeOneConnectionPerBrowser(name, (broker) => {
    ensureBuilt(name)
    return startSsrApp(name, broker)
  })
