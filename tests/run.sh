#!/usr/bin/env bash
# tests/run.sh: README's test command. Installs what the tests need on a Debian/Ubuntu host (as root),
# makes sure Docker answers, then runs every Go test: unit tests, and end-to-end tests against a real
# Docker engine with images built here (a first run builds them: about 30 minutes on 2 cores) and a
# headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v debootstrap >/dev/null || need_apt+=(debootstrap)
command -v docker >/dev/null || need_apt+=(docker.io)
command -v git >/dev/null || need_apt+=(git)
command -v chromium >/dev/null || need_apt+=(chromium)   # browser tests (headless)
command -v npm >/dev/null || need_apt+=(npm)             # the check that frontend/dist is built from its sources
if ((${#need_apt[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "tests/run.sh: please install ${need_apt[*]} (as root, on Debian/Ubuntu: apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
  echo "tests/run.sh: installing ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# A Docker engine that can run privileged containers: this workplace's script where it exists
# (it also works around a missing capability), otherwise the host's running engine.
if [[ -x ../shared/ci/docker-up.sh || -f ../shared/ci/docker-up.sh ]]; then
  bash ../shared/ci/docker-up.sh
elif ! docker info >/dev/null 2>&1; then
  echo "tests/run.sh: no Docker engine answers: start Docker first" >&2
  exit 1
fi

command -v go >/dev/null || { echo "tests/run.sh: Go is not on PATH" >&2; exit 1; }
echo "tests/run.sh: $(go version); cache ${KUBEPLAY_CACHE:-default}" >&2
export KUBEPLAY_REQUIRE_NPM=1 KUBEPLAY_REQUIRE_CHROMIUM=1
exec go test -p 1 -count=1 -timeout 85m -v "${@:-./...}"
