import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { BUCKET_ENCODING, BYTES_PER_POINT, type StoredPoint, UnknownBucketEncodingError, decodePoints, encodePoints } from "../../src/gps/points";

const POINTS: StoredPoint[] = [
  { t: 1_763_253_000_000, lat: 37.5665, lng: 126.978, accuracy: 8, speed: 0.5 },
  { t: 1_763_253_030_000, lat: 37.5666, lng: 126.9781 },
];

describe("GPS day bucket encoding", () => {
  it("round-trips points in 24 bytes each, version 1", () => {
    const bytes = encodePoints(POINTS);
    assert.equal(BUCKET_ENCODING, 1);
    assert.equal(bytes.length, POINTS.length * BYTES_PER_POINT);
    assert.deepEqual(decodePoints(bytes, BUCKET_ENCODING), POINTS);
  });

  it("reads a bucket without an encoding (written before versioning) as version 1", () => {
    assert.deepEqual(decodePoints(encodePoints(POINTS)), POINTS);
  });

  it("refuses an encoding it does not know instead of misreading the bytes", () => {
    const bytes = encodePoints(POINTS);
    for (const encoding of [0, 2, 7]) {
      assert.throws(
        () => decodePoints(bytes, encoding),
        (err: unknown) =>
          err instanceof UnknownBucketEncodingError && err.encoding === encoding && err.message === `GPS bucket encoding ${encoding} is unknown: this code reads encoding 1 only`,
      );
    }
  });

  it("exempts the points blob from indexing, in a spec the Firebase CLI accepts", () => {
    const file = path.resolve(__dirname, "../../../../firestore.indexes.json");
    const spec = JSON.parse(readFileSync(file, "utf8")) as { fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: unknown[] }[] };
    assert.deepEqual(
      spec.fieldOverrides.find((f) => f.collectionGroup === "gpsDays" && f.fieldPath === "points"),
      { collectionGroup: "gpsDays", fieldPath: "points", indexes: [] },
    );
    // The deploy's own validation (firebase-tools has no types for its internals).
    const load = createRequire(__filename);
    const { FirestoreApi } = load("firebase-tools/lib/firestore/api") as { FirestoreApi: new () => { validateSpec(spec: unknown): void } };
    new FirestoreApi().validateSpec(spec);
  });
});
