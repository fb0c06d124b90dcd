/** Thrown when a valid spec cannot be rendered within a cloud limit (e.g. listener rules per listener). */
export class FleetPlanError extends Error {
  constructor(message: string, where?: string) {
    super(`${where ? `${where}: ` : ''}${message}`);
    this.name = 'FleetPlanError';
  }
}
