/**
 * What a real deployment finds already in the account, created in the emulator first: the TLS
 * certificate the load balancer serves and the public hosted zone of the fleet's domain.
 */
import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { EmulatorClientConfig } from './emulator-environment';

/** The pre-existing resources a deployment refers to through context keys. */
export interface AccountFixtures {
  /** ARN of an ISSUED certificate for `*.zoneName` and `zoneName`. */
  readonly certificateArn: string;
  /** Id of the public hosted zone (without the `/hostedzone/` prefix). */
  readonly hostedZoneId: string;
  /** Name of that zone, without the trailing dot. */
  readonly zoneName: string;
}

/**
 * Requests a DNS-validated certificate for the zone and creates the hosted zone.
 * @param zoneName the fleet's domain, e.g. `mcp.example.com`.
 */
export async function createAccountFixtures(config: EmulatorClientConfig, zoneName: string): Promise<AccountFixtures> {
  const [certificateArn, hostedZoneId] = await Promise.all([issueCertificate(config, zoneName), createHostedZone(config, zoneName)]);
  return { certificateArn, hostedZoneId, zoneName };
}

/**
 * Requests a certificate (in the config's region) and waits until it is ISSUED, as `aws acm wait certificate-validated`
 * would. The emulator issues at once (the moto server is started with no validation wait).
 */
export async function issueCertificate(config: EmulatorClientConfig, domainName: string): Promise<string> {
  const acm = new ACMClient(config);
  try {
    const { CertificateArn } = await acm.send(
      new RequestCertificateCommand({
        DomainName: domainName,
        SubjectAlternativeNames: [`*.${domainName}`],
        ValidationMethod: 'DNS',
      }),
    );
    if (!CertificateArn) throw new Error(`ACM RequestCertificate for ${domainName} returned no ARN`);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
      if (Certificate?.Status === 'ISSUED') return CertificateArn;
      if (Date.now() > deadline) {
        throw new Error(`certificate ${CertificateArn} is still ${Certificate?.Status} after 10 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    acm.destroy();
  }
}

async function createHostedZone(config: EmulatorClientConfig, zoneName: string): Promise<string> {
  const route53 = new Route53Client(config);
  try {
    const { HostedZone } = await route53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: `deploy-test-${zoneName}` }));
    const id = HostedZone?.Id?.replace(/^\/hostedzone\//, '');
    if (!id) throw new Error(`Route 53 CreateHostedZone for ${zoneName} returned no id`);
    return id;
  } finally {
    route53.destroy();
  }
}
