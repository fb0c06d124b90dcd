/**
 * amqplib, loaded by the AMQP adapter on first use. The CLI bundle keeps this module in a file of
 * its own (dist/cli-clients/amqp), so commands that never touch a queue never parse it.
 */
export { connect } from 'amqplib';
