// The Vue example's app as a Nuxt app: server-rendered, its first paint seeded from retained messages.
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  telemetry: false,
  css: ['../shared/styles.css'],
  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      title: 'livetopic · Nuxt example',
      link: [{ rel: 'icon', href: 'data:,' }],
    },
  },
  nitro: {
    // the server route types its seed with the shared session's topic map, code that also runs in browsers
    typescript: { tsConfig: { compilerOptions: { lib: ['esnext', 'webworker', 'dom', 'dom.iterable'] } } },
  },
})
