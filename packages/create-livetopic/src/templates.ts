/** The frameworks a new app can use. */
export const TEMPLATES = ['react', 'vue', 'svelte'] as const

/** One of {@link TEMPLATES}. */
export type TemplateName = (typeof TEMPLATES)[number]

// Versions the templates were written and tested against (the generated package.json asks for
// these ranges); the @livetopic packages get this starter's own version.
const SHARED_DEV = {
  '@livetopic/aws-cdk': 'LIVETOPIC',
  '@livetopic/broker': 'LIVETOPIC',
  '@livetopic/iot': 'LIVETOPIC',
  '@types/node': '^22.0.0',
  'aws-cdk': '^2.1149.0',
  'aws-cdk-lib': '^2.278.0',
  'aws-jwt-verify': '^5.2.1',
  constructs: '^10.8.1',
  esbuild: '^0.28.2',
  tsx: '^4.20.0',
  typescript: '~5.9.0',
  vite: '^8.0.0',
  vitest: '^4.1.0',
  ws: '^8.18.0',
  '@types/ws': '^8.18.0',
}

/** dependencies and devDependencies of each template's package.json. */
export const TEMPLATE_DEPENDENCIES: Record<TemplateName, { dependencies: Record<string, string>; devDependencies: Record<string, string> }> = {
  react: {
    dependencies: { '@livetopic/core': 'LIVETOPIC', '@livetopic/react': 'LIVETOPIC', react: '^19.2.0', 'react-dom': '^19.2.0' },
    devDependencies: { ...SHARED_DEV, '@vitejs/plugin-react': '^6.0.0', '@types/react': '^19.2.0', '@types/react-dom': '^19.2.0' },
  },
  vue: {
    dependencies: { '@livetopic/core': 'LIVETOPIC', '@livetopic/vue': 'LIVETOPIC', vue: '^3.5.0' },
    devDependencies: { ...SHARED_DEV, '@vitejs/plugin-vue': '^6.0.0', 'vue-tsc': '^3.0.0' },
  },
  svelte: {
    dependencies: { '@livetopic/core': 'LIVETOPIC', '@livetopic/svelte': 'LIVETOPIC', svelte: '^5.7.0' },
    devDependencies: { ...SHARED_DEV, '@sveltejs/vite-plugin-svelte': '^7.0.0', 'svelte-check': '^4.0.0' },
  },
}
