import { describeSsrExample } from './support/ssr-example-spec.js'

describeSsrExample('next')
