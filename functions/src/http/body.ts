import type { IncomingMessage } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { HttpError, badRequest } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Cloud Functions has already buffered the body into `rawBody`, decompressed (its body parser inflates gzip and
 * deflate); a plain Node server (tests, local) has not.
 */
export type ApiIncomingMessage = IncomingMessage & { rawBody?: Buffer };

/** The request body as the client meant it: buffered, decompressed, at most `limit` bytes either way. */
export async function readBody(req: ApiIncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const platformDecoded = req.rawBody !== undefined;
  const raw = await readRawBody(req, limit);
  return platformDecoded ? raw : decode(raw, req.headers["content-encoding"], limit);
}

function decode(raw: Buffer, encoding: string | undefined, limit: number): Buffer {
  const name = (encoding ?? "identity").trim().toLowerCase();
  if (name === "identity" || name === "") return raw;
  if (name !== "gzip" && name !== "deflate") {
    throw new HttpError(415, "unsupported_content_encoding", { encoding: name, supported: ["gzip", "deflate", "identity"] });
  }
  try {
    return name === "gzip" ? gunzipSync(raw, { maxOutputLength: limit }) : inflateSync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(limit);
    throw badRequest("invalid_content_encoding", { encoding: name });
  }
}

function readRawBody(req: ApiIncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
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
