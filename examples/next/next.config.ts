import { fileURLToPath } from 'node:url'
import type { NextConfig } from 'next'

// the monorepo's root (one lockfile, workspaces): the app imports ../shared and ../react/src
const root = fileURLToPath(new URL('../..', import.meta.url))

const config: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
  // `next dev` would otherwise write an AGENTS.md into the example
  agentRules: false,
  experimental: { agentUpgrade: false },
}

export default config
