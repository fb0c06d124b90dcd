/** A small, fixed repository catalog the example `github_search_repos` tool searches. */

export interface RepoRecord {
  readonly fullName: string;
  readonly description: string;
  readonly language: string;
  readonly stars: number;
  readonly topics: readonly string[];
}

export const REPO_CATALOG: readonly RepoRecord[] = [
  {
    fullName: 'modelcontextprotocol/typescript-sdk',
    description: 'The official TypeScript SDK for Model Context Protocol servers and clients',
    language: 'TypeScript',
    stars: 11200,
    topics: ['mcp', 'sdk', 'llm'],
  },
  {
    fullName: 'modelcontextprotocol/python-sdk',
    description: 'The official Python SDK for Model Context Protocol servers and clients',
    language: 'Python',
    stars: 19800,
    topics: ['mcp', 'sdk', 'llm'],
  },
  { fullName: 'modelcontextprotocol/servers', description: 'Model Context Protocol reference servers', language: 'TypeScript', stars: 71000, topics: ['mcp', 'servers'] },
  {
    fullName: 'aws/aws-cdk',
    description: 'The AWS Cloud Development Kit is a framework for defining cloud infrastructure in code',
    language: 'TypeScript',
    stars: 12100,
    topics: ['aws', 'infrastructure-as-code', 'cloudformation'],
  },
  { fullName: 'pulumi/pulumi', description: 'Infrastructure as code in any programming language', language: 'Go', stars: 23400, topics: ['infrastructure-as-code', 'cloud', 'aws'] },
  { fullName: 'pulumi/pulumi-awsx', description: 'AWS infrastructure best practices in component form', language: 'TypeScript', stars: 240, topics: ['pulumi', 'aws', 'components'] },
  {
    fullName: 'aws-powertools/powertools-lambda-typescript',
    description: 'Powertools for AWS Lambda: a developer toolkit for serverless best practices',
    language: 'TypeScript',
    stars: 1700,
    topics: ['aws', 'lambda', 'serverless', 'observability'],
  },
  { fullName: 'redis/ioredis', description: 'A robust, performance-focused and full-featured Redis client for Node.js', language: 'TypeScript', stars: 14700, topics: ['redis', 'nodejs', 'client'] },
  {
    fullName: 'valkey-io/valkey',
    description: 'A flexible distributed key-value datastore that supports both caching and beyond caching workloads',
    language: 'C',
    stars: 21000,
    topics: ['database', 'key-value', 'cache'],
  },
  { fullName: 'panva/jose', description: 'JWA, JWS, JWE, JWT, JWK, JWKS for Node.js, browsers and other runtimes', language: 'TypeScript', stars: 6900, topics: ['jwt', 'jws', 'jwk', 'oauth'] },
  { fullName: 'colinhacks/zod', description: 'TypeScript-first schema validation with static type inference', language: 'TypeScript', stars: 40000, topics: ['typescript', 'schema', 'validation'] },
  { fullName: 'evanw/esbuild', description: 'An extremely fast bundler for the web', language: 'Go', stars: 39000, topics: ['bundler', 'javascript', 'typescript', 'minifier'] },
  { fullName: 'nodejs/undici', description: 'An HTTP/1.1 client, written from scratch for Node.js', language: 'JavaScript', stars: 6800, topics: ['http', 'client', 'nodejs', 'fetch'] },
  { fullName: 'mcollina/autocannon', description: 'Fast HTTP/1.1 benchmarking tool written in Node.js', language: 'JavaScript', stars: 8100, topics: ['benchmark', 'http', 'load-testing'] },
  { fullName: 'nginx/nginx', description: 'An official read-only mirror of the nginx web server and reverse proxy', language: 'C', stars: 27000, topics: ['http', 'proxy', 'load-balancer'] },
  { fullName: 'jestjs/jest', description: 'Delightful JavaScript testing', language: 'TypeScript', stars: 44700, topics: ['testing', 'javascript', 'snapshot'] },
];
