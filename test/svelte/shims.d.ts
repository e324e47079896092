// Svelte components as tsc sees them (vitest compiles them with @sveltejs/vite-plugin-svelte).
declare module '*.svelte' {
  import type { Component } from 'svelte'
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const component: Component<any>
  export default component
}
