/**
 * The AWS SDK v3 clients the deploy tests read the emulator with, created and destroyed together.
 */
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmulatorClientConfig } from './emulator-environment';

export class EmulatorClients {
  public readonly elbv2: ElasticLoadBalancingV2Client;
  public readonly ecs: ECSClient;
  public readonly lambda: LambdaClient;
  public readonly route53: Route53Client;
  public readonly elastiCache: ElastiCacheClient;
  public readonly serviceDiscovery: ServiceDiscoveryClient;
  public readonly secretsManager: SecretsManagerClient;
  public readonly s3: S3Client;
  public readonly sqs: SQSClient;

  constructor(config: EmulatorClientConfig) {
    this.elbv2 = new ElasticLoadBalancingV2Client(config);
    this.ecs = new ECSClient(config);
    this.lambda = new LambdaClient(config);
    this.route53 = new Route53Client(config);
    this.elastiCache = new ElastiCacheClient(config);
    this.serviceDiscovery = new ServiceDiscoveryClient(config);
    this.secretsManager = new SecretsManagerClient(config);
    // Path-style: `<bucket>.localhost` does not resolve everywhere.
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.sqs = new SQSClient(config);
  }

  /** Reads a whole S3 object from the emulator (e.g. a published asset in the bootstrap bucket). */
  public async readObject(bucket: string, key: string): Promise<Buffer> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body in the emulator`);
    return Buffer.from(await Body.transformToByteArray());
  }

  public destroy(): void {
    for (const client of [this.elbv2, this.ecs, this.lambda, this.route53, this.elastiCache, this.serviceDiscovery, this.secretsManager, this.s3, this.sqs]) {
      client.destroy();
    }
  }
}
