/**
 * Generated secrets that never pass through program source or Pulumi state: AWS generates the value
 * (`secretsmanager:GetRandomPassword`), and it reaches Secrets Manager and its consumer (an ElastiCache
 * AUTH token or user password) only through write-only inputs. Bumping `version` rotates it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface GeneratedSecretArgs {
  readonly description: string;
  readonly length: number;
  /** ElastiCache accepts few punctuation marks in AUTH tokens, so the fleet's secrets use none. */
  readonly excludePunctuation: boolean;
  /** Write-only version: changing it writes a new value. */
  readonly version: number;
  /** @default - the AWS managed key of Secrets Manager */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

export interface GeneratedSecret {
  readonly secret: aws.secretsmanager.Secret;
  readonly secretVersion: aws.secretsmanager.SecretVersion;
  /**
   * The generated value, marked secret, for write-only inputs of the same version. It is a fresh value
   * on every run, which is harmless for write-only inputs: providers only send it when the version changes.
   */
  readonly value: pulumi.Output<string>;
}

export function generatedSecret(name: string, args: GeneratedSecretArgs, parent: pulumi.Resource): GeneratedSecret {
  const secret = new aws.secretsmanager.Secret(name, { description: args.description, ...(args.kmsKeyArn ? { kmsKeyId: args.kmsKeyArn } : {}) }, { parent });
  const random = aws.secretsmanager.getRandomPasswordOutput({ passwordLength: args.length, excludePunctuation: args.excludePunctuation }, { parent });
  const value = pulumi.secret(random.apply((r) => r.randomPassword!));
  const secretVersion = new aws.secretsmanager.SecretVersion(
    name,
    { secretId: secret.id, secretStringWo: value, secretStringWoVersion: args.version },
    { parent },
  );
  return { secret, secretVersion, value };
}
