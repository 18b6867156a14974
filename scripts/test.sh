#!/usr/bin/env bash
# Runs every SessionKit test against real servers: installs or starts what is missing
# (scripts/services.sh), then builds and verifies every module.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
exec mvn -B verify "$@"
