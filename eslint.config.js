// ESLint 10 flat config: typescript-eslint's type-aware recommended rules on every .ts/.tsx file,
// each checked with the tsconfig.json nearest to it (root, examples/, test/types/).
// .vue and .svelte files are not linted here: vue-tsc and svelte-check type-check them.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/cdk.out/**', 'test-output/**', 'coverage/**', '**/*.vue', '**/*.svelte'] },
  // Next.js build output and its generated type references (examples/next)
  { ignores: ['**/.next/**', '**/next-env.d.ts'] },
  // SvelteKit's generated types and adapter-node's output
  { ignores: ['examples/sveltekit/.svelte-kit/**', 'examples/sveltekit/build/**'] },
  // the starter's templates are type-checked, tested and built as generated apps (test/pack/create-apps.ts)
  { ignores: ['packages/create-livetopic/templates/**'] },
  // Nuxt's generated types and build output
  { ignores: ['**/.nuxt/**', '**/.output/**'] },
  // the docs site's build output, VitePress's dependency cache and the generated API reference
  { ignores: ['docs/.vitepress/cache/**', 'docs/api/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed parameters and destructured leftovers are deliberate
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // the server-rendered examples: their frameworks type-check them (`npm run typecheck`: tsc,
    // nuxt typecheck, svelte-check) from generated tsconfigs; ESLint building three more typed
    // programs from those (Nuxt's holds every auto-import) ran out of a 4 GB heap
    files: ['examples/next/**', 'examples/nuxt/**', 'examples/sveltekit/**'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { parserOptions: { projectService: false } },
  },
  {
    // plain JavaScript (scripts, configs, the broker's dashboard page): no type information
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        window: 'readonly',
        document: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        location: 'readonly',
        requestAnimationFrame: 'readonly',
        FormData: 'readonly',
      },
    },
  },
)
