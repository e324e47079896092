import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { liveTopicBroker } from './livetopic/vite-broker.js'

export default defineConfig({ plugins: [vue(), liveTopicBroker()], server: { host: '127.0.0.1' }, preview: { host: '127.0.0.1' } })
