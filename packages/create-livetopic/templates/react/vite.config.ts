import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { liveTopicBroker } from './livetopic/vite-broker.js'

export default defineConfig({ plugins: [react(), liveTopicBroker()], server: { host: '127.0.0.1' }, preview: { host: '127.0.0.1' } })
