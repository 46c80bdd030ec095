// Request content in log lines and error messages: a value from a request is written as a short
// JSON string, so a newline or other control character in it cannot forge a line of its own and
// a megabyte of it cannot fill the log.

/** Characters of a request value kept in a log line or message; the rest is cut, with "…". */
export const LOG_VALUE_MAX = 64

/**
 * `value` as a JSON string literal (quotes, escaped control characters), at most `max` of its
 * characters. Anything but a string is only named by its type: it is never serialised (a deeply
 * nested object would overflow the stack, and its content is the caller's, not the log's).
 */
export function logValue(value: unknown, max = LOG_VALUE_MAX): string {
  if (typeof value !== 'string') {
    if (value === null || value === undefined) return String(value)
    return Array.isArray(value) ? '<array>' : `<${typeof value}>`
  }
  const cut = value.length > max ? `${value.slice(0, max)}…` : value
  // JSON.stringify escapes " \ and U+0000–U+001F; also escape the other line breaks a log
  // viewer may honour (U+007F–U+009F, U+2028, U+2029).
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
