import { describeOneConnectionPerBrowser } from './support/one-connection-spec.js'
import { serveExample, type ExampleName } from './support/example-app.js'

for (const name of ['react', 'vue', 'svelte'] satisfies ExampleName[]) describeOneConnectionPerBrowser(name, (broker) => serveExample(name, broker))
