import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

// no broker here: `npm run dev:sveltekit` starts one beside Vite, and the server reads its
// address from the environment on every request (one build serves any broker)
export default defineConfig({
  plugins: [sveltekit()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
