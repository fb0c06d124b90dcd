/**
 * Images for the emulator: no Docker engine is there to build the example pools' image assets (and
 * moto runs no containers), so the deploy tests synthesize the example app with every pool running
 * one registry image instead (the example app's `mcp-fleet-example:registryImage` context). What is
 * built and how is covered by the template tests (test/examples-cdk, test/constructs/pool-kinds).
 */
import { REGISTRY_IMAGE_CONTEXT } from '../../../examples/cdk/registry-images';

/** A real, pullable public image (its content does not matter to the emulator). */
export const EMULATOR_POOL_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm-slim';

/** Context that makes the example app run every pool from `EMULATOR_POOL_IMAGE`. */
export const REGISTRY_IMAGES_CONTEXT: Readonly<Record<string, string>> = { [REGISTRY_IMAGE_CONTEXT]: EMULATOR_POOL_IMAGE };
