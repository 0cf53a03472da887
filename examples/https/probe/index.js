// The https example's probe: calls the API through the PrivateLink endpoint, from inside the
// consumer VPC, presenting a client certificate (mutual TLS at the provider's ALB).
//
// The certificate and its key come from a Secrets Manager secret (CLIENT_CERTIFICATE_SECRET),
// a JSON string {"certificate": "-----BEGIN CERTIFICATE-----...", "privateKey": "-----BEGIN ...
// PRIVATE KEY-----..."}; the certificate may be followed by its intermediate CAs.
//
// Invoke it with {"path": "/api/task/2"} (default /api/tasks): it returns the API's JSON body
// and fails on a non-2xx status. With {"withoutCertificate": true} it calls without one, which
// a provider in VERIFY mode refuses in the TLS handshake: {"refused": "<the TLS error>"}.
const https = require('node:https');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

let identity; // read once per execution environment

async function clientCertificate() {
  if (!identity) {
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.CLIENT_CERTIFICATE_SECRET }));
    const { certificate, privateKey } = JSON.parse(secret.SecretString);
    if (!certificate || !privateKey) {
      throw new Error(`${process.env.CLIENT_CERTIFICATE_SECRET} must hold {"certificate": "<PEM>", "privateKey": "<PEM>"}`);
    }
    identity = { cert: certificate, key: privateKey };
  }
  return identity;
}

function get(url, tlsOptions) {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ...tlsOptions, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: no answer within 5 s`)));
    request.on('error', reject);
  });
}

exports.handler = async (event) => {
  const path = (event && event.path) || '/api/tasks';
  if (event && event.withoutCertificate) {
    const answer = await get(process.env.API_URL + path, {}).then(
      ({ status }) => ({ status }),
      (e) => ({ refused: `${e.code || e.name}: ${e.message}` }));
    if (answer.status !== undefined) {
      throw new Error(`GET ${path} without a client certificate got HTTP ${answer.status}: the provider verifies no client certificate`);
    }
    return answer;
  }
  const { status, body } = await get(process.env.API_URL + path, await clientCertificate());
  if (status < 200 || status > 299) {
    throw new Error(`GET ${path}: HTTP ${status}: ${body}`);
  }
  return JSON.parse(body);
};
