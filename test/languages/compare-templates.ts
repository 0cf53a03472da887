// Usage: ts-node compare-templates.ts <typescript cdk.out> <language>=<cdk.out> ...
// Fails with a readable diff when a language's app synthesizes a different topology.
import { differences, fingerprint, readAssembly } from './fingerprint';

const [reference, ...others] = process.argv.slice(2);
const expected = fingerprint(readAssembly(reference));
const stackCount = Object.keys(expected).length;
if (stackCount === 0) {
  console.error(`no stacks in ${reference}: nothing to compare`);
  process.exit(1);
}
let failed = false;
for (const arg of others) {
  const [label, dir] = arg.split('=');
  const diff = differences(expected, fingerprint(readAssembly(dir)), label);
  if (diff.length > 0) {
    failed = true;
    console.error(`${label} differs from typescript:\n${diff.join('\n')}`);
  } else {
    const resources = Object.values(expected).reduce((n, s) => n + Object.values(s['resource counts'] as Record<string, number>).reduce((a, b) => a + b, 0), 0);
    console.log(`${label}: same topology as typescript (${stackCount} stacks, ${resources} resources, ports, target types, acceptance and security-group rules)`);
  }
}
process.exit(failed ? 1 : 0);
