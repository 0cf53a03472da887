import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The newest Node.js runtime of Lambda. `Runtime.NODEJS_24_X` is missing at the peer floor
 * (aws-cdk-lib 2.211.0), so it is named here; the AWS SDK for JavaScript v3 comes with it.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const NODEJS_RUNTIME = new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/**
 * A function's code inlined into the template (`ZipFile`), from TypeScript functions the
 * library also tests: `handler` becomes `exports.handler`, each helper a top-level function.
 * Each must be self-contained (it may `require` Node.js and AWS SDK modules, and call the
 * other helpers by name), since only its own text is copied. CloudFormation takes inline
 * code for Node.js as a CommonJS `index.js`; its former 4 KB limit is gone.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html
 */
export function inlineHandler(handler: (...args: any[]) => unknown, ...helpers: Array<(...args: any[]) => unknown>): lambda.Code {
  return lambda.Code.fromInline(inlineSource(handler, ...helpers));
}

/** The source text `inlineHandler` deploys (tests run exactly this). */
export function inlineSource(handler: (...args: any[]) => unknown, ...helpers: Array<(...args: any[]) => unknown>): string {
  return [
    '"use strict";',
    ...helpers.map(helper => helper.toString()),
    `exports.handler = ${handler.toString()};`,
    '',
  ].join('\n');
}
