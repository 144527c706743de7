import fc from "fast-check";
import { MAX_BODY_BYTES } from "../../src/http/body";

/** One generated request body: raw bytes as they would arrive, the content type claimed, and what kind of attack. */
export interface HostileBody {
  kind: string;
  raw: Buffer;
  contentType: string | undefined;
}

const JSON_TYPE = "application/json";

/** Field names the routes use or the old apps sent, so objects reach past "unknown key" into the validators. */
const KEYS = [
  "installationId", "fcmToken", "platform", "appVersion", "timeZone", "uid", "user", "uuid", "timeSequence",
  "coordinate", "latitude", "longitude", "time", "timestamp", "date", "day", "week", "from", "to", "status",
  "modeNum", "modeName", "startTime", "daysOfWeek", "activeDate", "enabled", "repeat", "title", "name", "places",
  "category", "radius", "limit", "cursor", "points", "id", "t", "lat", "lng", "accuracy", "speed", "radiusMeters",
];

const hugeNumber = fc.constantFrom(
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 2 ** 64, 1e21, -1e21,
  Number.MIN_VALUE, -0, 0.1 + 0.2, 1e-320,
);

/** Leaves of the wrong type, at the edges of their own type. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hugeNumber },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom("", " ", "abc", "null", "undefined", "NaN", "0", "-1", "1e999", "ios", "2026-13-45",
      "2400", "../../etc/passwd", "<script>alert(1)</script>", "'; DROP TABLE users; --", "\u0000", "\ud800", "%00", "${x}"),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1000, max: 5000 }), fc.string({ minLength: 1, maxLength: 2 })).map(([n, s]) => s.repeat(n)) },
);

const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), tie("value"), { maxKeys: 5 }),
  ),
})).value;

const objectOfKnownKeys = fc.dictionary(fc.constantFrom(...KEYS), value, { minKeys: 1, maxKeys: 10 });

const json = (kind: string, body: unknown): HostileBody => ({
  kind,
  raw: Buffer.from(JSON.stringify(body) ?? "null", "utf8"),
  contentType: JSON_TYPE,
});
const rawText = (kind: string, text: string, contentType: string | undefined = JSON_TYPE): HostileBody => ({
  kind,
  raw: Buffer.from(text, "utf8"),
  contentType,
});

/** Literal tokens JSON.stringify can never produce; some are invalid JSON, `1e999` parses to Infinity. */
const nonFinite = fc
  .tuple(objectOfKnownKeys, fc.constantFrom("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999",
    "123456789012345678901234567890", "-0", "0x10", "01", "+1", ".5", "5."))
  .map(([obj, token]) => {
    const keys = Object.keys(obj);
    const key = keys[0] ?? "x";
    return rawText("non-finite", JSON.stringify(obj).replace(new RegExp(`"${key}":(.*?)([,}])`), `"${key}":${token}$2`));
  });

const deep = fc
  .tuple(fc.integer({ min: 64, max: 5_000 }), fc.constantFrom("[", '{"a":', '{"timeSequence":['), fc.boolean())
  .map(([depth, open, closed]) => {
    const close = open === "[" ? "]" : open === '{"a":' ? "}" : "]}";
    const text = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
    return rawText("deep-nesting", text);
  });

const longString = fc
  .tuple(fc.constantFrom(...KEYS), fc.integer({ min: 10_000, max: 400_000 }), fc.boolean())
  .map(([key, length, asKey]) =>
    asKey ? json("long-string", { ["k".repeat(length)]: 1 }) : json("long-string", { [key]: "x".repeat(length) }),
  );

const pollution = fc
  .tuple(objectOfKnownKeys, fc.constantFrom("__proto__", "constructor", "prototype"), fc.integer({ min: 0, max: 4 }))
  .map(([obj, key, depth]) => {
    let text = `{"${key}":{"polluted":true,"isAdmin":true}}`;
    for (let i = 0; i < depth; i++) text = `{"nested":${text}}`;
    const base = JSON.stringify(obj);
    return rawText("prototype-pollution", base.length > 2 ? `${base.slice(0, -1)},"p":${text}}` : text);
  });

const INVALID_UTF8 = [[0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];
const invalidUtf8 = fc
  .tuple(objectOfKnownKeys, fc.constantFrom(...INVALID_UTF8), fc.nat())
  .map(([obj, bytes, at]) => {
    const text = Buffer.from(JSON.stringify(obj), "utf8");
    // Inside a string value when there is one, so only the decoder can catch it.
    const quote = text.indexOf(0x22, 1 + (at % Math.max(1, text.length - 1)));
    const cut = quote >= 0 ? quote + 1 : at % (text.length + 1);
    return { kind: "invalid-utf8", raw: Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]), contentType: JSON_TYPE };
  });

const truncated = fc.tuple(objectOfKnownKeys, fc.nat()).map(([obj, at]) => {
  const text = JSON.stringify(obj);
  return rawText("truncated-json", text.slice(0, at % text.length));
});

const wrongContentType = fc
  .tuple(objectOfKnownKeys, fc.constantFrom<string | undefined>(undefined, "text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/jsonx", "application/xml", "json", "*/*", ""))
  .map(([obj, type]) => rawText("wrong-content-type", JSON.stringify(obj), type));

const OVERSIZE = Buffer.from(JSON.stringify({ s: "x".repeat(MAX_BODY_BYTES) }), "utf8");
const oversize = fc.integer({ min: 1, max: 4096 }).map((extra): HostileBody => ({
  kind: "oversize",
  raw: Buffer.concat([OVERSIZE.subarray(0, 6), Buffer.alloc(extra, 0x78), OVERSIZE.subarray(6)]),
  contentType: JSON_TYPE,
}));

/** Every attack the fuzz test sends, weighted so the expensive ones stay a small share of the run. */
export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  { weight: 25, arbitrary: objectOfKnownKeys.map((o) => json("wrong-types", o)) },
  { weight: 10, arbitrary: value.map((v) => json("any-json-value", v)) },
  { weight: 8, arbitrary: nonFinite },
  { weight: 3, arbitrary: deep },
  { weight: 2, arbitrary: longString },
  { weight: 10, arbitrary: pollution },
  { weight: 10, arbitrary: invalidUtf8 },
  { weight: 12, arbitrary: truncated },
  { weight: 8, arbitrary: wrongContentType },
  { weight: 1, arbitrary: oversize },
  { weight: 2, arbitrary: fc.constant<HostileBody>({ kind: "empty", raw: Buffer.alloc(0), contentType: JSON_TYPE }) },
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ kind: "random-bytes", raw: Buffer.from(b), contentType: JSON_TYPE })) },
);

/** Query strings for routes that read parameters: wrong types, junk escapes and repeated keys. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom("__proto__", "constructor"), fc.string({ maxLength: 8 })),
      fc.oneof(leaf.map((v) => String(v).slice(0, 300)), fc.constantFrom("%ZZ", "%00", "%", "%C0%80", "1e999", "NaN", "-1", "99999999999999999999")),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${v.startsWith("%") ? v : encode(v)}`).join("&"));

/** Lone surrogates cannot be percent-encoded as UTF-8; send the bytes a sloppy client would (CESU-8). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}
