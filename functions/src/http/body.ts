import type { IncomingMessage } from "node:http";
import { HttpError, badRequest } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Cloud Functions has already buffered the body into `rawBody`; a plain Node server (tests, local) has not. */
export type ApiIncomingMessage = IncomingMessage & { rawBody?: Buffer };

export async function readRawBody(req: ApiIncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  if (req.rawBody) {
    if (req.rawBody.length > limit) throw tooLarge(limit);
    return req.rawBody;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", { maxBytes: limit });
}

/**
 * Parses JSON strictly: UTF-8 that does not decode is refused instead of being replaced by U+FFFD, and keys that
 * could pollute prototypes are refused rather than silently dropped, so the caller learns the body was not taken.
 */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpError(415, "unsupported_media_type", { expected: "application/json" });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw badRequest("invalid_utf8");
  }
  let pollution = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (key === "__proto__" || key === "constructor" || key === "prototype") pollution = true;
      return value;
    });
  } catch {
    throw badRequest("invalid_json");
  }
  if (pollution) throw badRequest("forbidden_key", { keys: ["__proto__", "constructor", "prototype"] });
  return parsed;
}
