import { awscdk, javascript, DependencyType } from 'projen';

/**
 * aws-cdk-lib versions.
 *
 * - PEER_FLOOR is the lowest aws-cdk-lib that has every L2 prop the library uses
 *   (InterfaceVpcEndpoint.serviceRegion arrived in 2.211.0; AlbListenerTarget needs 2.154.0,
 *   VpcEndpointService.allowedRegions 2.187.0). `npm run compat` proves the library still
 *   compiles and synthesizes against it.
 * - TESTED is the version the unit tests, integ snapshots and every language's example run
 *   against. It is newer than the floor so that new-project feature flags (for example
 *   `networkLoadBalancerWithSecurityGroupByDefault`, 2.222.0) can be exercised.
 */
const PEER_FLOOR = '2.211.0';
const TESTED = '2.276.0';

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
  ],

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

  githubOptions: { mergify: false },
  stability: 'experimental',

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
  ],
});

// The lowest constructs version the peer range allows, for the tests.
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// Fail on jsii warnings (reserved words in Python/Java included), except the one
// this project chooses on purpose: tests run against a newer aws-cdk-lib than the peer floor.
project.compileTask.reset('jsii --fail-on-warnings --silence-warnings=metadata/missing-dev-dependency');
// Build every language's package on every build, CI or not (projen's default packages only
// JavaScript when CI is set, leaving Python and Java to separate workflow jobs).
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package-all')!);
project.tasks.tryFind('package-all')!.reset('jsii-pacmak -v --target js --target python --target java');
project.tasks.tryFind('watch')?.reset('jsii -w --silence-warnings=metadata/missing-dev-dependency');

project.synth();
