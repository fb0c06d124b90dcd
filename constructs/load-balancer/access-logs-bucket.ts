import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The bucket of ALB access logs: SSE-S3 (the only encryption ALB log delivery supports), TLS only,
 * no public access, bucket-owner objects, versioned, and expiring after `expirationDays`.
 */
export function accessLogsBucket(scope: Construct, id: string, expirationDays: number): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(expirationDays), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: 'This bucket receives access logs; logging its own access would recurse into another log bucket.' },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'This bucket receives access logs; logging its own access would recurse into another log bucket.' },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'ALB access log delivery supports only SSE-S3 (AES-256), not KMS keys.' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Access logs are kept in the region of the load balancer; cross-region replication is a deployment choice outside the fleet.' },
  );
  return bucket;
}
