import adapter from '@sveltejs/adapter-node'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

// adapter-node: `npm run build` writes build/, `npm start` (node build) serves it on PORT and HOST
export default {
  preprocess: vitePreprocess(),
  kit: { adapter: adapter() },
}
