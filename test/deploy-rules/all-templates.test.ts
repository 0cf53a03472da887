/**
 * The deploy-rules gate: every rule of rules.ts over every template the test command
 * synthesizes (the TypeScript examples, the test apps under both feature-flag settings, the
 * committed integ snapshot). Add a new app to TEMPLATES and the gate covers it.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { checkTemplate, type Template } from './rules';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { buildHttpsExample } from '../../examples/https/https-stacks';
import { MicroservicesStack } from '../../examples/microservices/microservices-stack';
import { allFeaturesApp, defaultsApp, migrationApp } from '../apps';
import { FLAG_SETTINGS } from '../helpers';

/** Every app the test command synthesizes, by name. */
const APPS: Record<string, (app: App) => Stack[]> = {
  'example demo': app => Object.values(buildDemo(app)),
  'example https': app => Object.values(buildHttpsExample(app)),
  'example microservices': app => [new MicroservicesStack(app, 'PrivateLinkMicroservices')],
  'test app: defaults': defaultsApp,
  'test app: every feature on': allFeaturesApp,
  'test app: two APIs of a move to a new VPC': migrationApp,
};

function synthesized(): Array<[string, Template]> {
  const templates: Array<[string, Template]> = [];
  for (const { name: flags, context } of FLAG_SETTINGS) {
    for (const [name, build] of Object.entries(APPS)) {
      for (const stack of build(new App({ context }))) {
        templates.push([`${name} (${flags}): ${stack.stackName}`, CdkTemplate.fromStack(stack).toJSON() as Template]);
      }
    }
  }
  for (const dir of readdirSync(path.join(__dirname, '..')).filter(d => d.endsWith('.snapshot'))) {
    for (const file of readdirSync(path.join(__dirname, '..', dir)).filter(f => f.endsWith('.template.json'))) {
      templates.push([`${dir}/${file}`, JSON.parse(readFileSync(path.join(__dirname, '..', dir, file), 'utf8'))]);
    }
  }
  return templates;
}

describe('the deploy-rules gate', () => {
  const templates = synthesized();

  test('covers the examples, the test apps and the integ snapshot', () => {
    const names = templates.map(([name]) => name).join('\n');
    for (const expected of [...Object.keys(APPS), 'integ.demo.ts.snapshot']) {
      expect(names).toContain(expected);
    }
  });

  test.each(templates)('%s: no template breaks an AWS deploy-time rule', (_name, template) => {
    expect(checkTemplate(template).map(f => `${f.rule} ${f.resource}: ${f.message}`)).toEqual([]);
  });
});
