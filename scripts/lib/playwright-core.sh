# Sourced by the campaigns that drive headless Chromium (scripts/campaign.d/20-hostile,
# 40-secrets, 60-transport): `ensure_playwright_core` installs the playwright-core that tests/e2e
# pins (tests/e2e/node_modules, no separate npm project) unless that exact version is there.
# Run from the repository's root.
ensure_playwright_core() {
  local e2e=tests/e2e pinned installed
  pinned="$(node -p "require('./$e2e/package.json').devDependencies['playwright-core']")"
  installed="$(node -p "try { require('./$e2e/node_modules/playwright-core/package.json').version } catch { '' }")"
  if [ "$pinned" != "$installed" ]; then
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
