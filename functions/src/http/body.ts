import type { IncomingMessage } from "node:http";
import { HttpError, badRequest } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Cloud Functions has already buffered the body into `rawBody`; a plain Node server (tests, local) has not. */
export type ApiIncomingMessage = IncomingMessage & { rawBody?: Buffer };

export function readRawBody(req: ApiIncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  if (req.rawBody) {
    return req.rawBody.length > limit ? Promise.reject(tooLarge(limit)) : Promise.resolve(req.rawBody);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Keep reading and dropping the rest: destroying the request would reset the socket under a client that is
      // still sending, and it would never see the 413.
      req.off("data", collect);
      req.resume();
      reject(tooLarge(limit));
    };
    req.on("data", collect);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
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
