/** cdk-nag's packs, applied the same way by every compliance test. */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';

const NAG_RULE = /^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321|Serverless)-|^CdkNagValidationFailure/;

/** Every pack this project is checked against: AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1, Serverless. */
export function allPacks() {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks(), new ServerlessChecks()];
}

/** An app with every pack; its findings don't fail the process (the tests read them). */
export function checkedApp(context: Record<string, unknown> = {}): App {
  const app = new App({ context: { ...context, '@aws-cdk/core:annotationsInValidationReport': false } });
  for (const pack of allPacks()) {
    Aspects.of(app).add(pack);
  }
  return app;
}

/** The unacknowledged findings of every pack, as `<construct path below the stack> <rule>`, sorted. */
export function unacknowledgedFindings(stacks: Stack[]): string[] {
  return stacks.flatMap(stack => {
    const annotations = Annotations.fromStack(stack);
    return [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())]
      .map(m => ({ path: m.id.replace(/^\/[^/]+\//, ''), rule: String(m.entry.data).split(':')[0] }))
      .filter(f => NAG_RULE.test(f.rule))
      .map(f => `${f.path} ${f.rule}`);
  }).sort();
}
