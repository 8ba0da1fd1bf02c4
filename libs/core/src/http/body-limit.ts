/**
 * The service's default request body limit in bytes; a larger body is `413 PayloadTooLarge`. The
 * service may be configured otherwise (`BODY_LIMIT_BYTES`).
 *
 * @example
 * ```ts
 * if (Buffer.byteLength(body) > DEFAULT_BODY_LIMIT_BYTES) throw new Error('too large to send');
 * ```
 */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;
