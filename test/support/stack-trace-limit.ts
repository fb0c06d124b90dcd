/**
 * Jest raises `Error.stackTraceLimit` to 100 in every test environment and maps each frame of every
 * formatted stack through source maps. Libraries that format `new Error().stack` on hot paths pay for
 * that on every call: @pulumi/pulumi does for each internal promise (a fleet declared under the mocks
 * spent a third of its CPU there), aws-cdk-lib for construct metadata. Node's own default (10 frames)
 * still shows where a failing assertion is.
 */
Error.stackTraceLimit = 10;
