import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  FIELDS,
  type Status,
  commandChanges,
  formatProtocol,
  isSwitch,
  mergeCommand,
  parseCommand,
  parseStatus,
} from "../src/protocol";

/** Every valid string of a kind, as per-position digit ranges. */
function ranges(kind: "status" | "command"): number[] {
  return FIELDS.map((f) => (isSwitch(f) ? (kind === "status" ? 2 : 3) : 10));
}

function* allStrings(kind: "status" | "command"): Generator<string> {
  const max = ranges(kind);
  const digits = max.map(() => 0);
  for (;;) {
    yield digits.join("");
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === (max[i] ?? 0) - 1) digits[i--] = 0;
    if (i < 0) return;
    digits[i] = (digits[i] ?? 0) + 1;
  }
}

const statusArb = fc.tuple(...ranges("status").map((n) => fc.integer({ min: 0, max: n - 1 }))).map((d) => d.join(""));
const commandArb = fc.tuple(...ranges("command").map((n) => fc.integer({ min: 0, max: n - 1 }))).map((d) => d.join(""));

function value(s: string, kind: "status" | "command" = "status"): Status {
  const parsed = kind === "status" ? parseStatus(s) : parseCommand(s);
  assert.ok(parsed.ok, s);
  return parsed.value;
}

describe("smarthome protocol", () => {
  it("round-trips every valid status string (all 1,600,000)", function () {
    // Exhaustive on purpose; the generous limit only keeps a loaded CI machine from failing it.
    this.timeout(120_000);
    let count = 0;
    for (const s of allStrings("status")) {
      const parsed = parseStatus(s);
      if (!parsed.ok || formatProtocol(parsed.value) !== s) assert.fail(`round-trip failed for ${s}`);
      count++;
    }
    assert.equal(count, 10 ** 5 * 2 ** 4);
  });

  it("round-trips commands (property over all valid strings)", () => {
    fc.assert(fc.property(commandArb, (s) => formatProtocol(value(s, "command")) === s), { numRuns: 20_000 });
  });

  it("decodes the documented example into typed fields", () => {
    assert.deepEqual(value("009060210"), {
      mode: 0,
      airconEnable: 0,
      airconWindPower: 9,
      lightEnable: 0,
      lightBrightness: 6,
      lightColor: 0,
      lightMode: 2,
      windowOpen: 1,
      gasValveEnable: 0,
    });
  });

  it("rejects anything that is not exactly nine characters, or not a string", () => {
    for (const bad of ["", "00906021", "0090602100", " 009060210", null, undefined, 9060210, ["0"], { status: "009060210" }]) {
      for (const parse of [parseStatus, parseCommand]) {
        const parsed = parse(bad);
        assert.equal(parsed.ok, false, JSON.stringify(bad));
        if (!parsed.ok) assert.equal(parsed.issues[0]?.position, -1);
      }
    }
  });

  it("names the position, field and character of every bad character", () => {
    const valid = "009060210";
    for (let position = 0; position < 9; position++) {
      for (let code = 0; code < 128; code++) {
        const character = String.fromCharCode(code);
        const candidate = valid.slice(0, position) + character + valid.slice(position + 1);
        const field = FIELDS[position];
        assert.ok(field);
        const digit = /^[0-9]$/.test(character) ? Number(character) : NaN;
        const statusOk = Number.isInteger(digit) && digit <= (isSwitch(field) ? 1 : 9);
        const commandOk = Number.isInteger(digit) && digit <= (isSwitch(field) ? 2 : 9);
        for (const [parse, ok] of [[parseStatus, statusOk], [parseCommand, commandOk]] as const) {
          const parsed = parse(candidate);
          assert.equal(parsed.ok, ok, `${JSON.stringify(candidate)} ${parse.name}`);
          if (!parsed.ok) {
            assert.equal(parsed.issues.length, 1);
            assert.deepEqual(
              { position: parsed.issues[0]?.position, field: parsed.issues[0]?.field, character: parsed.issues[0]?.character },
              { position, field, character },
            );
            assert.match(parsed.issues[0]?.message ?? "", new RegExp(`position ${position}`));
          }
        }
      }
    }
  });

  it("reports every bad position at once and never returns a partial value", () => {
    const parsed = parseStatus("a2x06021z");
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.deepEqual(parsed.issues.map((i) => i.position), [0, 1, 2, 8]);
  });

  it("merges a command: keep (2) on a switch holds the current value, everything else is taken", () => {
    assert.equal(formatProtocol(mergeCommand(value("009060210"), value("121232222", "command"))), "101032210");
    fc.assert(
      fc.property(statusArb, commandArb, (s, c) => {
        const merged = mergeCommand(value(s), value(c, "command"));
        const out = formatProtocol(merged);
        FIELDS.forEach((field, i) => {
          const expected = isSwitch(field) && c[i] === "2" ? s[i] : c[i];
          assert.equal(out[i], expected, `${field}`);
        });
        assert.equal(parseStatus(out).ok, true);
      }),
      { numRuns: 5_000 },
    );
  });

  it("a command changes something exactly when the merge differs from the current status", () => {
    assert.equal(commandChanges(value("009060210"), value("029260222", "command")), false);
    assert.equal(commandChanges(value("009060210"), value("029060210", "command")), false);
    assert.equal(commandChanges(value("009060210"), value("029060212", "command")), false);
    assert.equal(commandChanges(value("009060210"), value("129060210", "command")), true);
    assert.equal(commandChanges(value("009060210"), value("028060210", "command")), true);
    fc.assert(
      fc.property(statusArb, commandArb, (s, c) => {
        const changes = commandChanges(value(s), value(c, "command"));
        return changes === (formatProtocol(mergeCommand(value(s), value(c, "command"))) !== s);
      }),
      { numRuns: 5_000 },
    );
  });

  it("refuses to format a value that is not a digit", () => {
    assert.throws(() => formatProtocol({ ...value("009060210"), lightColor: 10 }), RangeError);
  });
});
