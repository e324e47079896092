import { liveTopic } from '@livetopic/vue'
import { createApp } from 'vue'
import { brokerUrl } from 'virtual:livetopic-broker'
import '../../shared/styles.css'
import { join } from '../../shared/session.js'
import JoinForm from './components/JoinForm.vue'
import Room from './components/Room.vue'

// Two stages: the name picker, then the room app with one livetopic client installed as a plugin.
const joinApp = createApp(JoinForm, {
  onJoin(name: string) {
    joinApp.unmount()
    const session = join(name, brokerUrl)
    const roomApp = createApp(Room, { session }).use(liveTopic(session.client))
    roomApp.mount('#app')
    // closing the tab closes the socket anyway; this also says goodbye on a Vite HMR dispose
    import.meta.hot?.dispose(() => {
      roomApp.unmount()
      void session.client.close()
    })
  },
})
joinApp.mount('#app')
