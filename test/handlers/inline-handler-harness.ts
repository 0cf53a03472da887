/**
 * Runs a function's inline code (what `inlineHandler` puts into the template) in a fresh VM
 * context, as Lambda would: with `require` for the modules the test gives (AWS SDK clients)
 * and an `https` whose PUTs (CloudFormation responses) are recorded.
 */
import * as vm from 'vm';

export interface CfnResponse {
  readonly url: string;
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, string>;
}

export interface Harness {
  readonly handler: (event: unknown, context?: unknown) => Promise<unknown>;
  /** The responses PUT to CloudFormation, in order. */
  readonly responses: CfnResponse[];
}

/**
 * @param globals what the code may use besides the language's own built-ins (a new VM context
 * has its own Date, JSON, Math...): Node's `process`, `fetch`, `setTimeout`...
 */
export function loadInlineHandler(source: string, modules: Record<string, unknown>, globals: Record<string, unknown> = {}): Harness {
  const responses: CfnResponse[] = [];
  const https = {
    request(options: { hostname: string; path: string; method: string }, onResponse: (r: unknown) => void) {
      let body = '';
      const listeners: Record<string, () => void> = {};
      return {
        on: () => undefined,
        end(data: string) {
          body = data;
          expect(options.method).toBe('PUT');
          responses.push({ url: `https://${options.hostname}${options.path}`, ...JSON.parse(body) });
          onResponse({ resume: () => undefined, on: (e: string, f: () => void) => { listeners[e] = f; if (e === 'end') f(); } });
        },
      };
    },
  };
  const fakeRequire = (name: string) => {
    if (name === 'https') {
      return https;
    }
    if (!(name in modules)) {
      throw new Error(`the handler required ${name}, which the test does not provide`);
    }
    return modules[name];
  };
  const exports: { handler?: (event: unknown, context?: unknown) => Promise<unknown> } = {};
  const quiet = { log: () => undefined, error: () => undefined };
  vm.runInNewContext(source, { require: fakeRequire, exports, console: quiet, URL, Buffer, JSON, Promise, Error, ...globals });
  return { handler: exports.handler!, responses };
}

/** A CloudFormation custom-resource event. */
export function cfnEvent(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>,
  extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/response?signature=x',
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Consumer/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'Lookup',
    ResourceType: 'Custom::Test',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:f', ...properties },
    ...extra,
  };
}
