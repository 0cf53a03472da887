/**
 * cdk-nag v3 over the TypeScript examples: run by check-cdk-versions.sh against the newest
 * aws-cdk-lib, where v3 works (it needs a validation context with the construct tree). v3 reads
 * acknowledgements only through `Validations.acknowledge()`, so this proves the library's and
 * the examples' acknowledgements reach it. Exits non-zero on any unacknowledged finding.
 *
 * Usage (from the compiled tree): node test/compat/nag-v3.js <cdk.json context as JSON>
 */
import { App, type Stack } from 'aws-cdk-lib';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { buildHttpsExample } from '../../examples/https/https-stacks';
import { MicroservicesStack } from '../../examples/microservices/microservices-stack';

// cdk-nag v3's API differs from the v2 typings the project compiles against.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nag = require('cdk-nag');
const PACKS = ['AwsSolutionsChecks', 'NIST80053R5Checks', 'HIPAASecurityChecks', 'PCIDSS321Checks', 'ServerlessChecks'];

const examples: Record<string, (app: App) => Stack[]> = {
  demo: app => Object.values(buildDemo(app)),
  https: app => Object.values(buildHttpsExample(app)),
  microservices: app => [new MicroservicesStack(app, 'PrivateLinkMicroservices')],
};

const context = JSON.parse(process.argv[2] ?? '{}');
let failures = 0;
for (const [name, build] of Object.entries(examples)) {
  const before = failures;
  const app = new App({ context });
  build(app);
  app.synth();
  for (const packName of PACKS) {
    const report = new nag[packName]().validateScope(app);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        console.error(`cdk-nag v3: ${name}: ${resource.constructPath}: ${violation.ruleName}`);
        failures++;
      }
    }
  }
  console.log(`cdk-nag v3 ${nag.NagPack ? '' : '(?)'}(${PACKS.length} packs): ${name}: ${failures === before ? 'no unacknowledged finding' : `${failures - before} findings, above`}`);
}
process.exit(failures === 0 ? 0 : 1);
