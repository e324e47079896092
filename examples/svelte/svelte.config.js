import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

// TypeScript in <script lang="ts">; every component in runes mode, so no component pulls in Svelte's
// legacy-mode runtime (README, Size)
export default { preprocess: vitePreprocess(), compilerOptions: { runes: true } }
