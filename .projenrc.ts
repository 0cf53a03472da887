import { awscdk, javascript, DependencyType, JsonFile } from 'projen';

/**
 * aws-cdk-lib versions.
 *
 * - PEER_FLOOR is the lowest aws-cdk-lib that has every L2 prop the library uses
 *   (InterfaceVpcEndpoint.serviceRegion arrived in 2.211.0; AlbListenerTarget needs 2.154.0,
 *   VpcEndpointService.allowedRegions 2.187.0). `npm run compat` proves the library still
 *   compiles and synthesizes against it.
 * - TESTED is the version the unit tests, integ snapshots and every language's example run
 *   against. It is newer than the floor so that new-project feature flags (for example
 *   `networkLoadBalancerWithSecurityGroupByDefault`, 2.222.0) can be exercised, and it is the
 *   newest whose cloud assembly (schema 53) the newest integ-runner (2.197.x) can read.
 */
const PEER_FLOOR = '2.211.0';
const TESTED = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ecs-privatelink',
  description: 'Offer APIs running on ECS Fargate to other VPCs and AWS accounts through AWS PrivateLink: Fargate -> internal ALB -> internal NLB -> VPC endpoint service, with secure defaults.',
  author: 'cdk-ecs-privatelink maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-ecs-privatelink/cdk-ecs-privatelink.git',
  homepage: 'https://github.com/cdk-ecs-privatelink/cdk-ecs-privatelink',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'privatelink', 'ecs', 'fargate'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '22.0.0',

  cdkVersion: PEER_FLOOR,
  jsiiVersion: '~6.0.0',
  // Tests run against TESTED, not the floor (see above); the floor is checked by `compat`.
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    `aws-cdk-lib@${TESTED}`,
    // The CDK CLI, for `npm run demo` and deploying the examples.
    'aws-cdk@^2.1148.1',
    // cdk-nag v2 (Aspects): v3 needs an aws-cdk-lib whose validation context has the construct
    // tree, newer than TESTED.
    'cdk-nag@^2.38.2',
  ],
  // integ-runner verifies the committed snapshots of test/integ.*.ts in every test run.
  experimentalIntegRunner: true,

  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['examples/**/*.ts', '.projenrc.ts'],
    compilerOptions: {},
  },

  publishToPypi: {
    distName: 'cdk-ecs-privatelink',
    module: 'cdk_ecs_privatelink',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkecsprivatelink',
    mavenGroupId: 'io.github.cdk-ecs-privatelink',
    mavenArtifactId: 'cdk-ecs-privatelink',
  },
  // Go modules live at a repository root; jsii's Go release pushes the generated module to its
  // own repository next to this one (the convention of every jsii library, cdk-nag's included).
  // Users import github.com/cdk-ecs-privatelink/cdk-ecs-privatelink-go/cdkecsprivatelink.
  publishToGo: {
    moduleName: 'github.com/cdk-ecs-privatelink/cdk-ecs-privatelink-go',
    packageName: 'cdkecsprivatelink',
  },

  githubOptions: { mergify: false },
  stability: 'experimental',

  // Releases (.github/workflows/release.yml): every push to main is built, versioned from the
  // conventional commits since the last tag (fix: patch, feat: minor, feat! or a BREAKING CHANGE:
  // footer major) and published to npm, PyPI, Maven Central and the Go repository.
  release: true,
  releaseToNpm: true,
  // Before 1.0.0, a breaking change would only bump the minor version; from the first release on,
  // a change that replaces a customer's endpoint service (a pinned logical ID, test/upgrade) must
  // be a new major version, so the first release is 1.0.0.
  minMajorVersion: 1,

  jestOptions: {
    // CI must fail on a stale snapshot instead of rewriting it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
  },
  eslintOptions: {
    // One typed-lint project for src, test and examples (the project service
    // only finds files named tsconfig.json, which covers src alone).
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    dirs: ['src'],
    devdirs: ['test', 'examples', 'projenrc', '.projenrc.ts'],
  },
  gitignore: [
    'cdk.out/',
    '.ci/.toolchain/',
    // integ snapshots: templates are committed, bundled assets are not (integ-runner compares templates).
    'test/*.snapshot/asset.*',
    'test/cdk-integ.out.*',
    // what the language check synthesizes and builds
    'test/languages/cdk.out/',
    'test/lint/cdk.out/',
    'examples/java/target/',
    'examples/go/cdk.out/',
    'examples/go/privatelink-demo',
    '__pycache__/',
    '.jsii.tabl.json',
  ],
});

// The lowest constructs version the peer range allows, for the tests.
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);
// Pin the integ packages: integ-tests-alpha must accept the tested aws-cdk-lib as its peer.
project.deps.removeDependency('@aws-cdk/integ-tests-alpha');
project.deps.removeDependency('@aws-cdk/integ-runner');
project.deps.addDependency('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0', DependencyType.DEVENV);
project.deps.addDependency('@aws-cdk/integ-runner@^2.197.10', DependencyType.DEVENV);
// aws-cdk-lib 2.257.0 declares @aws-cdk/cloud-assembly-schema as a dependency but leaves it out
// of its tarball while npm records it as bundled, so it is never installed; install it here.
// Exactly the version aws-cdk-lib 2.257.0 declares (^53.25.0) and aws-cdk-go v2.257.0 requires:
// jsii-pacmak writes the installed version into the Go module's go.mod, and cloud-assembly-schema-go
// is not published for every npm release (the Go proxy here serves v53.25.0, not v53.28.0).
project.deps.addDependency('@aws-cdk/cloud-assembly-schema@53.25.0', DependencyType.DEVENV);

// README and doc-comment examples must compile (strict), so Construct Hub translates them.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and doc-comment example with jsii-rosetta (strict)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);
project.package.file.addOverride('jsii.metadata', { jsii: { rosetta: { strict: true } } });

project.addTask('bench', {
  description: 'Benchmark synth time and memory (demo vs hand-written L2s, 1/10/35 services); writes docs/benchmark.md',
  exec: 'ts-node --transpile-only test/bench/run-bench.ts',
});
project.addTask('diagram', {
  description: 'Render docs/architecture.svg from the demo app\'s synthesized templates',
  exec: 'ts-node --transpile-only test/diagram/render-diagram.ts',
});

project.addTask('integ:snapshot', {
  description: 'Rewrite the integ snapshots from the current code, without deploying (review the diff)',
  exec: 'integ-runner --update-on-failed --dry-run --language typescript',
});

// Security and compatibility gates, after the unit and integ tests (see README "Security").
project.testTask.spawn(project.addTask('test:cfn-lint', {
  description: 'Run cfn-lint (PyPI) over every template of the examples, test apps and integ snapshots',
  exec: 'bash test/lint/cfn-lint.sh',
}));
project.testTask.spawn(project.addTask('test:compat', {
  description: 'Compile the library and synthesize the demo against the peer-floor and the newest aws-cdk-lib',
  exec: 'bash test/compat/check-cdk-versions.sh',
}));

// Type-check the examples and tests too (jsii compiles only src/).
project.testTask.prependExec('tsc --noEmit -p tsconfig.dev.json', { name: 'type-check src, test and examples' });

/**
 * Each example app's cdk.json, as `cdk init` would write it for the tested aws-cdk-lib: every
 * recommended feature flag. Cross-stack references stay strong: a consumer endpoint must be
 * deleted before the endpoint service it connects to, and strong references enforce that order.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const recommendedFlags = require('aws-cdk-lib/recommended-feature-flags.json');
function exampleCdkJson(dir: string, app: string) {
  new JsonFile(project, `${dir}/cdk.json`, {
    obj: {
      app,
      watch: { include: ['**/*.ts', '../../src/**/*.ts'] },
      context: { ...recommendedFlags, '@aws-cdk/core:defaultCrossStackReferences': 'strong' },
    },
  });
}
exampleCdkJson('examples/demo', 'npx ts-node --prefer-ts-exts app.ts');
exampleCdkJson('examples/https', 'npx ts-node --prefer-ts-exts app.ts');
exampleCdkJson('examples/microservices', 'npx ts-node --prefer-ts-exts app.ts');
exampleCdkJson('examples/python', 'python3 app.py');
exampleCdkJson('examples/java', 'mvn -e -q compile exec:java');
exampleCdkJson('examples/go', 'go mod download && go run .');

// `npm run demo`: synthesize the demo app offline with the CDK CLI and say what it deploys.
project.addTask('demo', {
  description: 'Synthesize examples/demo offline (no AWS account) and print what it deploys',
  cwd: 'examples/demo',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  steps: [
    { exec: 'cdk synth --quiet --no-notices --no-version-reporting --output cdk.out' },
    { exec: 'ts-node --prefer-ts-exts print-summary.ts cdk.out' },
  ],
});

// Fail on jsii warnings (reserved words in Python/Java included), except the one
// this project chooses on purpose: tests run against a newer aws-cdk-lib than the peer floor.
project.compileTask.reset('jsii --fail-on-warnings --silence-warnings=metadata/missing-dev-dependency');
// Build every language's package on every build, CI or not (projen's default packages only
// JavaScript when CI is set, leaving Python and Java to separate workflow jobs).
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package-all')!);
// Then (the last step of build) the Python, Java and Go packages synthesize the demo app in those
// languages, and their templates must match TypeScript's.
project.packageTask.spawn(project.addTask('test:languages', {
  description: 'Synthesize the demo in Python, Java and Go against dist/ and compare with TypeScript',
  exec: 'bash test/languages/check-languages.sh',
}));
// One pacmak run builds every target in parallel; the Go target also compiles the generated
// module (`go build`), which warms Go's build cache for examples/go.
project.tasks.tryFind('package-all')!.reset('jsii-pacmak -v --target js --target python --target java --target go');
project.tasks.tryFind('watch')?.reset('jsii -w --silence-warnings=metadata/missing-dev-dependency');

// The npm package carries the library, its docs and the diagram the README shows; not the
// examples, the CI scripts or the rosetta fixtures.
for (const path of ['/examples/', '/.ci/', '/rosetta/', '/CONTRIBUTING.md']) {
  project.addPackageIgnore(path);
}

project.synth();
