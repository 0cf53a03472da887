// Synthesizes the test apps (defaults, every feature on, operations, two APIs of a move) under each feature-flag setting into
// <outdir>/<setting>/, for cfn-lint to read.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { allFeaturesApp, defaultsApp, migrationApp, operationsApp } from '../apps';
import { FLAG_SETTINGS } from '../helpers';

const outdir = process.argv[2];
for (const { name, context } of FLAG_SETTINGS) {
  const app = new App({ context, outdir: path.join(outdir, name.replace(/\W+/g, '-')) });
  defaultsApp(app);
  allFeaturesApp(app);
  operationsApp(app);
  migrationApp(app);
  app.synth();
}
