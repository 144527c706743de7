import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  FCM_TOKEN_MAX_LENGTH,
  FCM_TOKEN_MIN_LENGTH,
  checkFcmToken,
  registrationSchema,
  unregistrationSchema,
} from "../../src/notifications/tokens";
import { fakeToken } from "../support/fakeFcm";

const TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-:";
const tokenChar = fc.constantFrom(...TOKEN_CHARS.split(""));

function reasonOf(token: string): string {
  const check = checkFcmToken(token);
  assert.equal(check.ok, false, `${JSON.stringify(token)} should be refused`);
  return check.ok ? "" : check.reason;
}

describe("notifications/tokens", () => {
  it("refuses the placeholders the old apps stored, with a reason naming them", () => {
    assert.match(reasonOf(""), /empty/);
    assert.match(reasonOf("abc"), /placeholder/);
    assert.match(reasonOf("ABC"), /placeholder/);
    assert.match(reasonOf("null"), /placeholder/);
  });

  it("refuses APNs device tokens, bad characters, whitespace and implausible lengths", () => {
    assert.match(reasonOf("a1b2c3d4".repeat(8)), /APNs device token/);
    assert.match(reasonOf(`${fakeToken(1)} `), /whitespace/);
    assert.match(reasonOf(fakeToken(1).replace(":", "/")), /may only contain/);
    assert.match(reasonOf(fakeToken(1).replace("Q", "é")), /may only contain/);
    assert.match(reasonOf("x".repeat(FCM_TOKEN_MIN_LENGTH - 1)), /at least 100/);
    assert.match(reasonOf("x".repeat(FCM_TOKEN_MAX_LENGTH + 1)), /longer than/);
  });

  it("accepts a real-shaped FCM token", () => {
    const real = "cJ4bS8x1Rk2pQfZ0n9aB3c:APA91bH" + "q3Lk_Z-0aBcDeFgHiJkLmNoPqRsTuVwXyZ".repeat(4);
    assert.deepEqual(checkFcmToken(real), { ok: true });
    assert.deepEqual(checkFcmToken(fakeToken(123)), { ok: true });
  });

  it("accepts every string of token characters within the length bounds (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: tokenChar, minLength: FCM_TOKEN_MIN_LENGTH, maxLength: 400 }), (token) => {
        fc.pre(!/^[0-9a-fA-F]{64}$/.test(token));
        assert.deepEqual(checkFcmToken(token), { ok: true });
      }),
    );
  });

  it("refuses any token with a character outside the token alphabet (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: tokenChar, minLength: 60, maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !TOKEN_CHARS.includes(c)),
        fc.string({ unit: tokenChar, minLength: 60, maxLength: 200 }),
        (before, bad, after) => {
          assert.equal(checkFcmToken(before + bad + after).ok, false);
        },
      ),
    );
  });

  it("validates registrations strictly and explains what is wrong", () => {
    const good = { installationId: "fid_AbCdEf123", fcmToken: fakeToken(1), platform: "ios", appVersion: "2.3.1", timeZone: "Asia/Seoul" };
    assert.equal(registrationSchema.safeParse(good).success, true);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, fcmToken: "abc" }, /placeholder/],
      [{ ...good, fcmToken: "" }, /empty/],
      [{ ...good, platform: "web" }, /ios|android/],
      [{ ...good, installationId: "a/b" }, /installationId/],
      [{ ...good, timeZone: "Mars/Olympus" }, /IANA/],
      [{ ...good, extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const result = registrationSchema.safeParse(body);
      assert.equal(result.success, false, JSON.stringify(body));
      assert.match(result.error?.issues.map((i) => i.message).join("; ") ?? "", message);
    }
    assert.equal(unregistrationSchema.safeParse({ installationId: "fid_AbCdEf123" }).success, true);
    assert.equal(unregistrationSchema.safeParse({}).success, false);
  });
});
