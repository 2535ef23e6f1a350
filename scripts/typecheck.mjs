#!/usr/bin/env node
// Type-checks each runtime with its own tsconfig, so that a DOM call in core/
// or a Node import in web/ fails to compile.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const projects = ['core', 'core/test', 'core/sync', 'core/sync/test', 'node', 'cli', 'sync-server', 'web', 'web/sw', 'bench', 'e2e', 'sim']
let ok = true
for (const project of projects) {
  const config = `${project}/tsconfig.json`
  if (!existsSync(config)) continue
  const result = spawnSync('npx', ['tsc', '-p', config], { stdio: 'inherit' })
  if (result.status !== 0) ok = false
  else console.log(`typecheck ${project}: ok`)
}
process.exit(ok ? 0 : 1)
