/** Another turn saved the conversation first; the caller retries its turn. */
export class VersionConflictError extends Error {
  override readonly name = "VersionConflictError";
  readonly code = "version_conflict";
  constructor(
    readonly conversation: string,
    readonly expectedVersion: number,
  ) {
    super(`conversation ${conversation} is no longer at version ${expectedVersion}`);
  }
}
