/**
 * Named log helpers: every line a function writes has a stable `event` name, so log-based metrics and alerts can
 * match on it instead of on free text.
 */
import * as logger from "firebase-functions/logger";

export type LogFields = Record<string, unknown>;

export function info(event: string, fields: LogFields = {}): void {
  logger.info(event, { event, ...fields });
}

export function warn(event: string, fields: LogFields = {}): void {
  logger.warn(event, { event, ...fields });
}

export function error(event: string, err: unknown, fields: LogFields = {}): void {
  logger.error(event, { event, ...fields, error: describeError(err) });
}

/** Turns anything thrown into loggable fields without leaking prototype junk or circular structures. */
export function describeError(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  }
  return { name: "NonError", message: String(err) };
}
