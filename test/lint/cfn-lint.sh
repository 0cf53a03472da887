#!/usr/bin/env bash
# Runs the real cfn-lint (PyPI) over every template the examples and test apps synthesize, and
# over the committed integ snapshots. Zero errors and zero warnings, except the rules listed,
# each with its reason, in test/lint/cfnlintrc.yaml.
#
# The virtualenv is cached in $CDK_ECS_PRIVATELINK_CACHE (default ~/.cache/cdk-ecs-privatelink)
# and rebuilt when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
CFN_LINT_VERSION=1.58.0
cache=${CDK_ECS_PRIVATELINK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-ecs-privatelink}
venv=$cache/venv-cfn-lint-$CFN_LINT_VERSION
out=test/lint/cdk.out
export CDK_DISABLE_CLI_TELEMETRY=true

if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
  touch "$venv/.complete"
fi

rm -rf "$out"
mkdir -p "$out"
for example in examples/*/; do
  if [ -f "$example/cdk.json" ] && ls "$example"*.ts >/dev/null 2>&1; then
    name=$(basename "$example")
    (cd "$example" && npx cdk synth --quiet --no-notices --no-version-reporting --output "$OLDPWD/$out/example-$name" >/dev/null)
  fi
done
npx ts-node --prefer-ts-exts test/lint/synth-test-apps.ts "$out/test-apps"

templates=$(find "$out" test/*.snapshot -name '*.template.json' | sort)
echo "cfn-lint $CFN_LINT_VERSION over $(echo "$templates" | wc -l) templates"
# shellcheck disable=SC2086
"$venv/bin/cfn-lint" --config-file test/lint/cfnlintrc.yaml -- $templates
echo "cfn-lint: no errors, no warnings"

# The create-only properties the logical-ID pins (test/upgrade) rely on, against the same schemas.
"$venv/bin/python" test/upgrade/check-replacement-properties.py
