/**
 * Pulumi test harness: `setFleetMocks` of `mcp-fleet/testing` (the mocks users get: every registered
 * resource recorded, realistic outputs), plus the project's own helpers — a tracker that checks every
 * resource is parented, and `declare`, which builds components quickly under the mocks.
 *
 * Import this module before any module that creates resources: `setMocks` must be in place first.
 * Mocks are process-global; jest gives every test file its own module registry, so keep one
 * component family per file.
 */
import * as pulumi from '@pulumi/pulumi';
import { isSecretValue, setFleetMocks, unwrapSecret, type RecordedResource } from '../../lib/testing';

/** The mocked project: named after the example program, so that its `pulumi.Config()` finds its keys. */
export const PROJECT = 'mcp-fleet-example';

/** The mocks users get from `mcp-fleet/testing`: the project's own tests use the same. */
const mocks = setFleetMocks({ project: PROJECT });

export { isSecretValue, unwrapSecret, type RecordedResource };

/** Resolves to the value of an Output (the documented `apply` pattern; mocks never preview, so values are known). */
export function valueOf<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v)));
}

/**
 * Tracks every resource created under a component: pass `tracker.options` as the component's resource
 * options. Transformations are inherited by children through `parent`, so a resource created without
 * `{ parent: this }` escapes the tracker — which `assertAllParented` turns into a test failure.
 */
export class ResourceTracker {
  private readonly created: pulumi.Resource[] = [];
  private readonly createdNames = new Set<string>();

  public readonly options: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        this.created.push(args.resource);
        this.createdNames.add(`${args.type}::${args.name}`);
        return undefined;
      },
    ],
  };

  /** Waits until every tracked resource (and any it started meanwhile) has been registered. */
  public async settle(): Promise<void> {
    let awaited = 0;
    while (awaited < this.created.length) {
      const batch = this.created.slice(awaited);
      awaited = this.created.length;
      await Promise.all(batch.map((r) => valueOf(r.urn)));
    }
  }

  /** `type::name` of every resource the tracker saw (children of the tracked component). */
  public names(): ReadonlySet<string> {
    return this.createdNames;
  }
}

/**
 * Declares components under a fresh tracker and waits until all their resources are registered.
 * Pulumi formats `new Error().stack` for every internal promise (for leak reports), and jest maps each
 * frame through source maps: with stack traces off while declaring, a fleet takes a third of the time.
 * Assertions run afterwards, with stack traces back on.
 */
export async function declare<T>(create: (options: pulumi.ComponentResourceOptions) => T): Promise<{ component: T; tracker: ResourceTracker }> {
  const tracker = new ResourceTracker();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const component = create(tracker.options);
    await tracker.settle();
    return { component, tracker };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Waits until no registration has happened for a few event-loop turns. For programs (like the
 * example) whose resources a tracker cannot reach; everything here is in-process, so quiet means done.
 */
export const quiesce = (turns = 5): Promise<void> => mocks.settled(turns);
/** Every registration so far, in order. */
export const allResources = (): readonly RecordedResource[] => mocks.resources;
/** Forgets what was recorded (call between tests that build separate components). */
export const resetRecording = (): void => mocks.reset();
/** Resources of one type token, optionally narrowed by a predicate on their inputs or name. */
export const resourcesOfType = mocks.resourcesOfType;
/** The one resource of a type that satisfies `where`; throws listing candidates otherwise. */
export const oneResource = mocks.oneResource;
/** Count of (custom) resources per type token. */
export const countsByType = (): Record<string, number> => mocks.countsByType();
