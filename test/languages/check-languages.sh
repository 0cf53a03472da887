#!/usr/bin/env bash
# Proves the jsii packages work in Python, Java and Go: synthesizes the demo app written in each
# language (examples/python, examples/java, examples/go) against the packages just built into
# dist/, with the aws-cdk-lib version the TypeScript tests use, and compares their templates with
# TypeScript's.
#
# Caches (outside the repository, reused between runs, rebuilt when missing):
#   $CDK_ECS_PRIVATELINK_CACHE (default ~/.cache/cdk-ecs-privatelink): the Python virtualenv;
#   ~/.m2: Maven's own repository;
#   $GOMODCACHE and $GOCACHE (default ~/go/pkg/mod, ~/.cache/go-build): Go's module and build
#   caches, which jsii-pacmak's Go target (package-all) has already filled for this build.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

cdk_lib=$(node -p "require('aws-cdk-lib/package.json').version")
constructs=$(node -p "require('constructs/package.json').version")
version=$(node -p "require('./package.json').version")
cache=${CDK_ECS_PRIVATELINK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-ecs-privatelink}
out=$root/test/languages/cdk.out
rm -rf "$out"
mkdir -p "$out" "$cache"
export CDK_DISABLE_CLI_TELEMETRY=true

wheel=$(ls dist/python/cdk_ecs_privatelink-"$version"-py3-none-any.whl)
jar=dist/java/io/github/cdk-ecs-privatelink/cdk-ecs-privatelink/$version/cdk-ecs-privatelink-$version.jar
[ -f "$jar" ] || { echo "no $jar: run npx projen package-all first" >&2; exit 1; }
go_pkg=$(ls -d dist/go/*/); go_pkg=${go_pkg%/}

timed() { local name=$1 start=$SECONDS; shift; "$@"; echo "== $name took $((SECONDS - start))s"; }
synth() { # <example dir> <app command> <output dir>
  (cd "$1" && npx cdk synth --quiet --no-notices --no-version-reporting --app "$2" --output "$3" >/dev/null)
}

python_env() {
  local venv=$cache/venv-python3.$(python3 -c 'import sys; print(sys.version_info[1])')-cdk$cdk_lib
  local pip="$venv/bin/python -m pip --quiet --disable-pip-version-check"
  if [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    $pip install "aws-cdk-lib==$cdk_lib" "constructs==$constructs"
    touch "$venv/.complete"
  fi
  # The wheel keeps its version between builds: force it in, with its own dependencies resolved
  # against the pinned aws-cdk-lib and constructs.
  $pip install "$wheel" "aws-cdk-lib==$cdk_lib" "constructs==$constructs"
  $pip install --force-reinstall --no-deps "$wheel"
  PYTHON=$venv/bin/python
}

java_env() {
  # Install the jar (with its pom) into the local Maven repository, replacing any earlier build.
  mvn -q -B -Dstyle.color=never install:install-file -Dfile="$jar" -DpomFile="${jar%.jar}.pom"
  MVN_ARGS="-q -B -Dstyle.color=never -Dcdk-ecs-privatelink.version=$version -Daws-cdk-lib.version=$cdk_lib -Dconstructs.version=$constructs"
  mvn $MVN_ARGS -f examples/java/pom.xml compile
}

go_env() {
  # The example's go.mod and go.sum, copied out of the repository (examples/go stays untouched),
  # with aws-cdk-go and constructs-go at the versions the TypeScript tests use and the library
  # replaced by the module just built into dist/go. Built once, then run by `cdk synth`.
  local build=$out/go-build module
  module=$(sed -n 's/^module //p' "$go_pkg/go.mod")
  mkdir -p "$build"
  cp examples/go/go.mod "$build/go.mod"
  cp examples/go/go.sum "$build/go.sum"
  (cd examples/go &&
    go mod edit -modfile="$build/go.mod" \
      -require="github.com/aws/aws-cdk-go/awscdk/v2@v$cdk_lib" \
      -require="github.com/aws/constructs-go/constructs/v10@v$constructs" \
      -replace="$module=$root/$go_pkg" &&
    go build -modfile="$build/go.mod" -mod=mod -buildvcs=false -o "$build/privatelink-demo" .)
  GO_APP=$build/privatelink-demo
}

timed "typescript synth" synth examples/demo "npx ts-node --prefer-ts-exts app.ts" "$out/typescript"
timed "python install" python_env
timed "python synth" synth examples/python "$PYTHON app.py" "$out/python"
timed "java install + compile" java_env
timed "java synth" synth examples/java "mvn $MVN_ARGS exec:java" "$out/java"
timed "go build" go_env
# jsii-runtime-go may print "Runtime process exited abnormally: waitid: no child processes" on
# exit: two goroutines reap the same node process; the exit status (checked) is still 0.
timed "go synth" synth examples/go "$GO_APP" "$out/go"
timed "compare" npx ts-node --prefer-ts-exts test/languages/compare-templates.ts \
  "$out/typescript" "python=$out/python" "java=$out/java" "go=$out/go"
