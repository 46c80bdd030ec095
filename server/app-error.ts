// The one exception use cases throw on purpose: its code reaches the caller as the envelope's code.
import type { ErrorCode } from 'wal-core'

export class AppError extends Error {
  override readonly name = 'AppError'

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}
