import { mountDevtools } from '@livetopic/devtools'
import { liveTopic } from '@livetopic/vue'
import { createApp, type App } from 'vue'
import { brokerUrl, httpUrl } from 'virtual:livetopic-broker'
import type { SignedInUser } from '../../shared/auth-session.js'
import '../../shared/styles.css'
import { pageAuth } from '../../shared/page-auth.js'
import { join, type Session } from '../../shared/session.js'
import JoinForm from './components/JoinForm.vue'
import Room from './components/Room.vue'

// one sign-in per browser (localStorage): a second tab opens signed in
const auth = pageAuth(httpUrl)
let shown: { app: App; session?: Session; hideDevtools?: () => void } | undefined

// Two stages: the sign-in form, then the room app with the browser's livetopic client installed as
// a plugin. A sign-in or sign-out in any tab switches between them.
function show(user: SignedInUser | undefined): void {
  shown?.app.unmount()
  shown?.hideDevtools?.()
  // closing says goodbye (the roster drops us)
  void shown?.session?.client.close()
  if (user) {
    const session = join(user, (options) => auth.session.token(options), brokerUrl)
    // devtools in dev only (Alt+Shift+L): a production build has none of their code
    const hideDevtools = import.meta.env.DEV ? mountDevtools(session.client) : undefined
    const app = createApp(Room, { session, onSignOut: auth.signOut }).use(liveTopic(session.client))
    shown = { app, session, hideDevtools }
  } else {
    shown = { app: createApp(JoinForm, { onJoin: auth.signIn }) }
  }
  shown.app.mount('#app')
}

show(auth.session.user)
const stop = auth.session.subscribe(show)
// closing the tab closes the socket anyway; this also says goodbye on a Vite HMR dispose
import.meta.hot?.dispose(() => {
  stop()
  shown?.app.unmount()
  shown?.hideDevtools?.()
  void shown?.session?.client.close()
})
