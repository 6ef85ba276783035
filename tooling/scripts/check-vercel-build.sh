#!/usr/bin/env bash
# Prove the committed app builds for Vercel, offline, with no environment
# variables: clone HEAD into a temp folder, run `vercel build` there with a
# hand-written project file, and check the output. Not part of `npm test`.
#   bash tooling/scripts/check-vercel-build.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# vercel@59.25.4: newer CLIs need packages some registries lack.
npm install --silent --no-audit --no-fund --prefix "$work/cli" vercel@59.25.4
git clone --quiet "$root" "$work/app"
cd "$work/app"
# The repo's own node_modules (CI has just run npm ci) as hard links: same packages, no second install.
if [ -d "$root/node_modules" ] && cmp -s "$root/package-lock.json" package-lock.json; then
  cp -al "$root/node_modules" node_modules
else
  npm ci --silent --no-audit --no-fund
fi
mkdir -p .vercel
printf '%s' '{"projectId":"prj_local","orgId":"team_local","settings":{"framework":"nextjs","nodeVersion":"24.x"}}' > .vercel/project.json

canary="canary-$(date +%s)-secret"
env -i PATH="$PATH" HOME="$HOME" NEXT_TELEMETRY_DISABLED=1 \
  MESHAGENT_SECRET="$canary" AUTH_SECRET="$canary" DEV_ROOM_SECRET="$canary" \
  "$work/cli/node_modules/.bin/vercel" build --yes

test -f .vercel/output/config.json
runtimes="$(grep -rhoE '"runtime": *"[^"]+"' .vercel/output/functions | sort -u)"
echo "function runtimes: $runtimes"
echo "$runtimes" | grep -q 'nodejs24.x'
if grep -rq "$canary" .vercel/output/static; then
  echo "FAIL: a secret from the build environment is in .vercel/output/static" >&2
  exit 1
fi
echo "OK: vercel build succeeded with no configuration; no secret in static output"
