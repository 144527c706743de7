import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import * as targaryen from "targaryen";
import { parseStatus } from "@wolley/contract";

/**
 * database.rules.json evaluated offline. The backend uses the Admin SDK, which bypasses rules, so "backend only"
 * paths are the ones no client identity can write: every client identity is tried and must be refused.
 */
const rulesPath = path.resolve(__dirname, "..", "..", "..", "..", "database.rules.json");
const rules = JSON.parse(readFileSync(rulesPath, "utf8")) as object;

const DATA = {
  smarthome: { status: "009060210" },
  sensor: {
    hometemp: { temp: 21.5, humi: 40, rain: 0 },
    openweather: { description: "맑음", icon: "01d", temp: 3.2, air_level: 2, update: "2026-11-26 21:00" },
  },
  server: { notification: "none" },
};

const member = { uid: "alice", token: { member: true } };
const device = { uid: "home-device", token: { device: true } };
const stranger = { uid: "mallory", token: {} };
const anonymous = null;

function db(auth: object | null): targaryen.Database {
  return targaryen.database(rules, DATA).with({ debug: true }).as(auth);
}

function allowsRead(auth: object | null, at: string): boolean {
  return db(auth).read(at).allowed;
}

function allowsWrite(auth: object | null, at: string, value: unknown): boolean {
  return db(auth).write(at, value).allowed;
}

describe("database.rules.json", () => {
  describe("reads", () => {
    for (const at of ["/smarthome", "/smarthome/status", "/sensor", "/sensor/hometemp", "/sensor/openweather", "/server", "/server/notification"]) {
      it(`members and devices read ${at}`, () => {
        assert.equal(allowsRead(member, at), true);
        assert.equal(allowsRead(device, at), true);
      });
      it(`signed-in non-members and anonymous callers do not read ${at}`, () => {
        assert.equal(allowsRead(stranger, at), false);
        assert.equal(allowsRead(anonymous, at), false);
      });
    }

    it("nobody reads the root or paths outside the documented trees", () => {
      for (const who of [member, device, stranger, anonymous]) {
        assert.equal(allowsRead(who, "/"), false);
        assert.equal(allowsRead(who, "/users"), false);
      }
    });

    it("a member claim that is not exactly true grants nothing", () => {
      assert.equal(allowsRead({ uid: "x", token: { member: "true" } }, "/smarthome"), false);
      assert.equal(allowsRead({ uid: "x", token: { device: 1 } }, "/sensor"), false);
    });
  });

  describe("smarthome/status", () => {
    it("a device writes a valid 9-digit status", () => {
      for (const status of ["009060210", "000000000", "912199911"]) {
        assert.equal(allowsWrite(device, "/smarthome/status", status), true, status);
      }
    });

    it("a device may not write anything but a valid 9-digit status", () => {
      const bad: unknown[] = ["00906021", "0090602100", "00906021a", "009060213", "09060210x",
        " 09060210", "", 9060210, null, { status: "009060210" }, true, "٠٠٩٠٦٠٢١٠", "039060210", "009360210", "009060230",
        "912199922", "029060210"];
      for (const value of bad) {
        assert.equal(allowsWrite(device, "/smarthome/status", value), false, JSON.stringify(value));
      }
    });

    it("takes exactly the statuses the status trigger parses (the contract's parseStatus)", () => {
      const digits = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 9 });
      const nearly = fc.string({ unit: fc.constantFrom(..."0123456789 a٠"), minLength: 8, maxLength: 10 });
      fc.assert(
        fc.property(fc.oneof(digits, nearly), (status) => {
          assert.equal(allowsWrite(device, "/smarthome/status", status), parseStatus(status).ok, status);
        }),
        { numRuns: 300 },
      );
    });

    it("members, strangers and anonymous callers may not write the status", () => {
      for (const who of [member, stranger, anonymous]) {
        assert.equal(allowsWrite(who, "/smarthome/status", "009060210"), false);
      }
    });

    it("nobody writes the whole smarthome tree or other keys under it", () => {
      for (const who of [member, device, stranger]) {
        assert.equal(allowsWrite(who, "/smarthome", { status: "009060210" }), false);
        assert.equal(allowsWrite(who, "/smarthome/other", "x"), false);
      }
    });
  });

  describe("sensor/hometemp", () => {
    it("a device writes numeric {temp, humi, rain}", () => {
      assert.equal(allowsWrite(device, "/sensor/hometemp", { temp: 23.4, humi: 55, rain: 0 }), true);
      assert.equal(allowsWrite(device, "/sensor/hometemp", { temp: -5, humi: 0, rain: 812 }), true);
      assert.equal(allowsWrite(device, "/sensor/hometemp", { temp: 80, humi: 100, rain: 10_000 }), true);
      assert.equal(allowsWrite(device, "/sensor/hometemp", { temp: -50, humi: 0, rain: 0 }), true);
    });

    it("a device may not write missing, extra, non-numeric or out-of-range fields, or delete it", () => {
      const bad: unknown[] = [
        { temp: 23.4, humi: 55 },
        { temp: "23.4", humi: 55, rain: 0 },
        { temp: 23.4, humi: "55", rain: 0 },
        { temp: 23.4, humi: 55, rain: false },
        { temp: 23.4, humi: 55, rain: 0, extra: 1 },
        { temp: 500, humi: 55, rain: 0 },
        { temp: 23.4, humi: 101, rain: 0 },
        { temp: 23.4, humi: 55, rain: -1 },
        { temp: 23.4, humi: 55, rain: 10_000.5 },
        { temp: 23.4, humi: 55, rain: 1e300 },
        { temp: -50.1, humi: 55, rain: 0 },
        { temp: 23.4, humi: -0.1, rain: 0 },
        22,
        "hot",
        null,
      ];
      for (const value of bad) {
        assert.equal(allowsWrite(device, "/sensor/hometemp", value), false, JSON.stringify(value));
      }
      assert.equal(allowsWrite(device, "/sensor/hometemp/temp", "warm"), false);
    });

    it("members, strangers and anonymous callers may not write the home sensor", () => {
      for (const who of [member, stranger, anonymous]) {
        assert.equal(allowsWrite(who, "/sensor/hometemp", { temp: 23.4, humi: 55, rain: 0 }), false);
      }
    });
  });

  describe("backend-only paths", () => {
    const writes: [string, unknown][] = [
      ["/sensor/openweather", { description: "비", icon: "10d", temp: 10, air_level: 1, update: "now" }],
      ["/server/notification", "창문을 닫아주세요."],
      ["/server/anything", 1],
      ["/sensor", { hometemp: { temp: 1, humi: 1, rain: 0 } }],
    ];
    for (const [at, value] of writes) {
      it(`no client identity writes ${at}`, () => {
        for (const who of [member, device, stranger, anonymous]) {
          assert.equal(allowsWrite(who, at, value), false, JSON.stringify(who));
        }
      });
    }
  });
});
