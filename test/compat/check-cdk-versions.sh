#!/usr/bin/env bash
# Compiles the library and synthesizes the TypeScript example apps against other aws-cdk-lib versions than the
# one the tests pin: the peer floor (package.json peerDependencies) and the newest release, so a
# floor that no longer holds, or a breaking change upstream, shows here before users see it.
# Against the newest, cdk-nag v3's five packs also run over the examples (test/compat/nag-v3.ts):
# v3 reads acknowledgements only through aws-cdk-lib's Validations API, which needs a newer
# aws-cdk-lib than the tests pin.
# Usage: check-cdk-versions.sh [version ...]   (default: the floor and the newest)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
floor=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib'].replace(/^[\\^~]/, '')")
versions=("$@")
newest=$(npm view aws-cdk-lib@latest version)
if [ ${#versions[@]} -eq 0 ]; then
  versions=("$floor" "$newest")
fi
constructs=$(node -p "require('constructs/package.json').version")
cdk_nag=$(node -p "require('cdk-nag/package.json').version")
examples=$(ls examples/*/app.ts | xargs -n1 dirname)

for version in "${versions[@]}"; do
  start=$SECONDS
  dir=$(mktemp -d "${TMPDIR:-/tmp}/cdk-compat-$version.XXXXXX")
  mkdir -p "$dir/examples"
  cp -r src "$dir/src"
  for example in $examples; do
    cp -r "$example" "$dir/$example"
    rm -rf "$dir/$example/cdk.out"
  done
  cp -r examples/common "$dir/examples/common" # what the examples share
  echo '{ "private": true }' > "$dir/package.json"
  nag_version=$cdk_nag
  if [ "$version" = "$newest" ]; then
    nag_version=$(npm view cdk-nag@latest version)
    mkdir -p "$dir/test/compat" && cp test/compat/nag-v3.ts "$dir/test/compat/"
  fi
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error \
    "aws-cdk-lib@$version" "constructs@$constructs" "cdk-nag@$nag_version" >/dev/null)
  cat > "$dir/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true,
    "skipLibCheck": true, "outDir": "out", "rootDir": ".",
    "typeRoots": ["$root/node_modules/@types"], "types": ["node"]
  },
  "include": ["src/**/*.ts", "examples/*/*.ts", "test/compat/*.ts"]
}
JSON
  "$root/node_modules/.bin/tsc" -p "$dir/tsconfig.json"
  for example in $examples; do
    context=$(node -p "JSON.stringify(require('./$example/cdk.json').context)")
    (cd "$dir/out/$example" && JSII_DEPRECATED=quiet CDK_OUTDIR="$dir/cdk.out/$example" CDK_CONTEXT_JSON="$context" node app.js)
    stacks=$(node -e "
      const m = require('$dir/cdk.out/$example/manifest.json');
      const s = Object.values(m.artifacts).filter(a => a.type === 'aws:cloudformation:stack');
      if (s.length === 0) { console.error('no stacks'); process.exit(1); }
      console.log(s.map(a => a.displayName).join(', '));")
    echo "aws-cdk-lib $version: $example synthesizes ($stacks)"
  done
  if [ -f "$dir/out/test/compat/nag-v3.js" ]; then
    context=$(node -p "JSON.stringify(require('./examples/demo/cdk.json').context)")
    (cd "$dir/out/test/compat" && JSII_DEPRECATED=quiet node nag-v3.js "$context")
  fi
  echo "aws-cdk-lib $version: library and examples compile and synthesize in $((SECONDS - start))s"
  rm -rf "$dir"
done
