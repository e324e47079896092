import { describeExample } from './support/example-spec.js'

describeExample('svelte')
