/**
 * The fields of a CloudFormation custom-resource request every handler reads.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
 */
export interface CloudFormationRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

/**
 * Answers a CloudFormation custom-resource request: a PUT of the response object to the
 * request's pre-signed S3 URL. Inlined into the library's custom-resource functions
 * (`inlineHandler`), so it is self-contained.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export async function respondToCloudFormation(
  event: { ResponseURL: string; StackId: string; RequestId: string; LogicalResourceId: string },
  status: 'SUCCESS' | 'FAILED', physicalResourceId: string, reason?: string, data?: Record<string, string>,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- inlined code loads its modules itself
  const https = require('https');
  const body = JSON.stringify({
    Status: status,
    Reason: reason ?? status,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data ?? {},
  });
  await new Promise<void>((resolve, reject) => {
    const url = new URL(event.ResponseURL);
    const request = https.request({
      hostname: url.hostname,
      path: url.pathname + url.search,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response: { on(e: string, f: () => void): void; resume(): void }) => {
      response.resume();
      response.on('end', () => resolve());
    });
    request.on('error', reject);
    request.end(body);
  });
}
