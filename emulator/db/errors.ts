// Errors the local database returns in CloudBase's own codes, so the real SDK maps them to the
// same errCode (-502001 …) a deployed function would see.

export type DbErrorCode =
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'INVALID_PARAM'

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DbError'
  }
}

/** A feature CloudBase has that the local cloud does not emulate: fail loudly, never silently wrong. */
export function unsupported(what: string): DbError {
  return new DbError(
    'DATABASE_INVALID_OPERRATOR',
    `local cloud: ${what} is not supported by the emulator (see docs/emulator.md)`,
  )
}
