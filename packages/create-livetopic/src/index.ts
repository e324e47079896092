export { createApp, packageNameOf, type CreateAppOptions, type CreatedApp } from './create-app.js'
export { TEMPLATES, type TemplateName } from './templates.js'
