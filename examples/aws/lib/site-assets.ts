import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

/** Folder of the built React example that the stack uploads. */
const SITE_DIR = root('examples/react/dist')

/**
 * Builds the React example (from the packages' sources, as the e2e tests do) when its dist/ is
 * missing, so `npm run synth:aws` stays one command. The build bakes in the local broker's URL;
 * on AWS the app reads the deployed `config.json` instead.
 */
export async function ensureSiteBuilt(): Promise<string> {
  if (existsSync(`${SITE_DIR}/index.html`)) return SITE_DIR
  const { build } = await import('vite')
  const alias = [
    { find: /^@livetopic\/core\/aws$/, replacement: root('packages/core/src/aws/index.ts') },
    { find: /^@livetopic\/core$/, replacement: root('packages/core/src/index.ts') },
    { find: /^@livetopic\/react$/, replacement: root('packages/react/src/index.ts') },
  ]
  process.stderr.write('examples/react/dist is missing: building the React example first\n')
  await build({ configFile: root('examples/react/vite.config.ts'), root: root('examples/react'), logLevel: 'warn', resolve: { alias } })
  if (!existsSync(`${SITE_DIR}/index.html`)) throw new Error(`building the React example did not produce ${SITE_DIR}/index.html`)
  return SITE_DIR
}
