/**
 * `npm create livetopic`: a new React, Vue or Svelte app with the stand-in, an authorizer, a rule and the CDK stack.
 * @module create-livetopic
 */
export { createApp, packageNameOf, type CreateAppOptions, type CreatedApp } from './create-app.js'
export { TEMPLATES, type TemplateName } from './templates.js'
