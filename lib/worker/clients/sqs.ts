/**
 * The SQS client of AWS SDK v3, loaded by the SQS adapter on first use. The CLI bundle keeps it in a
 * file of its own (dist/cli-clients/sqs); the gateway Lambda leaves it to the Lambda runtime.
 */
export { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
