import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * An object in S3: a PEM bundle of CA certificates, or a certificate revocation list.
 */
export interface MutualTlsS3Object {
  /** The bucket the object is in. */
  readonly bucket: s3.IBucket;

  /**
   * The object's key in `bucket`, for example `privatelink/ca-bundle.pem`: not a URL
   * (`s3://…`) and not a folder (a key ending in `/`).
   */
  readonly key: string;

  /**
   * The object version (the bucket must be versioned). Pin it to roll a new bundle out by
   * a deploy, and back by another.
   *
   * @default - the latest version when the trust store is created or updated
   */
  readonly version?: string;
}

/**
 * Mutual TLS at the ALB's HTTPS listener: consumers present a client certificate, which
 * tells the provider who is calling (PrivateLink hides their addresses behind the NLB's).
 *
 * TLS passes through the NLB (TCP) and terminates at the ALB, so the client's certificate
 * reaches the ALB unchanged. The ALB passes what it learns to the tasks in `X-Amzn-Mtls-*`
 * request headers.
 *
 * In every mode but `OFF` the NLB no longer checks the ALB through the consumers' listener
 * (its health check has no client certificate): the API adds an HTTPS listener on
 * `healthCheckPort` that only the NLB's security group may reach and that answers only the
 * health-check path.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 */
export interface MutualTlsOptions {
  /**
   * How the ALB handles client certificates:
   * - `VERIFY`: the ALB admits only clients whose certificate chains to a CA of the trust
   *   store (and is not revoked), and passes the verified certificate's subject, issuer,
   *   serial number and validity to the tasks.
   * - `PASS_THROUGH`: the ALB verifies nothing and passes the client's whole chain to the
   *   tasks in `X-Amzn-Mtls-Clientcert`; your service must verify it (you get a warning).
   * - `OFF`: no mutual TLS, the same as leaving `mutualTls` out.
   *
   * @default elbv2.MutualAuthenticationMode.VERIFY
   */
  readonly mode?: elbv2.MutualAuthenticationMode;

  /**
   * An existing trust store (`elbv2.TrustStore.fromTrustStoreArn`). `VERIFY` needs this or
   * `caCertificatesBundle`.
   *
   * @default - a new trust store from `caCertificatesBundle`
   */
  readonly trustStore?: elbv2.ITrustStore;

  /**
   * The PEM bundle of the CA certificates the ALB trusts, in S3: the API creates a trust
   * store from it. The ALB reads the whole bundle; to add or remove a CA, upload a new
   * bundle (and change `version`, or update the trust store).
   *
   * @default - none: give `trustStore`
   */
  readonly caCertificatesBundle?: MutualTlsS3Object;

  /**
   * Certificate revocation lists (CRLs) of your CAs, in S3: the ALB rejects the certificates
   * they list. Added to the trust store (the new one, or `trustStore`). `VERIFY` only.
   *
   * @default - no revocation lists
   */
  readonly revocationLists?: MutualTlsS3Object[];

  /**
   * Whether the ALB admits client certificates that have expired. `VERIFY` only; on, you get
   * a warning.
   *
   * @default false
   */
  readonly ignoreClientCertificateExpiry?: boolean;

  /**
   * Whether the ALB names the trust store's CAs in its TLS handshake, so that a client with
   * several certificates picks one of the right CA. `VERIFY` only.
   *
   * @default false
   */
  readonly advertiseTrustStoreCaNames?: boolean;

  /**
   * The ALB port of the listener the NLB's health check uses instead of the consumers'
   * listener. It must differ from `loadBalancerPort` (and from 80 with `redirectHttp`).
   *
   * @default - `loadBalancerPort` + 1 (444 with the default 443; 65534 for 65535)
   */
  readonly healthCheckPort?: number;
}
