/**
 * The CLI's common case: an export as the app writes it (rows grouped by user, each user's in time order), read and
 * detected user by user as the rows stream by, so memory is one user's rows, not the file's. The stream stops at the
 * first sign that the file is not such an export; the CLI then reads it whole and sorts it.
 */
import { closeSync, openSync } from "node:fs";
import { PointsCsvReader, readFd } from "./staypoints-csv";
import { type PointColumns, type StayPointOptions, detectStayPointsColumns } from "../../functions/src/gps/staypoints";

/** One user's stays as output lines. */
export interface Run {
  id: string;
  text: string;
}

export interface Streamed {
  /** False when the rows are not grouped by user and time-ordered: `runs` are then incomplete. */
  grouped: boolean;
  runs: Run[];
}

/** The output lines of the stays in `cols[from, to)`, one user's time-ordered rows; `clock.ns` gains the detector's time. */
export function runText(id: string, cols: PointColumns, from: number, to: number, options: StayPointOptions, clock: { ns: bigint }): string {
  const quoted = /[",\r\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id;
  const started = process.hrtime.bigint();
  const stays = detectStayPointsColumns(cols, options, from, to);
  clock.ns += process.hrtime.bigint() - started;
  let text = "";
  for (const s of stays) {
    text += `${quoted},${new Date(s.startMs).toISOString()},${new Date(s.endMs).toISOString()},${s.lat.toFixed(7)},${s.lng.toFixed(7)}\n`;
  }
  return text;
}

const STREAM_ROWS = 1 << 18;

/** Stops the stream at its first sign of not being grouped. */
class NotGrouped extends Error {}

/** Reads and detects the file user by user; a malformed row throws CsvError. */
export function readGrouped(path: string, options: StayPointOptions, clock: { ns: bigint }): Streamed {
  const runs: Run[] = [];
  const reader: PointsCsvReader = new PointsCsvReader({
    // Room for a user of about 200,000 rows and the next chunk's before the columns grow (7 MB, whatever the file's
    // size): growing copies the columns and, from a cold start, cost more than the rest of the reading.
    rows: STREAM_ROWS,
    onRun: (user, cols, rows) => {
      if (!reader.grouped) throw new NotGrouped();
      const id = reader.users[user] as string;
      runs.push({ id, text: runText(id, cols, 0, rows, options, clock) });
    },
  });
  const fd = openSync(path, "r");
  try {
    readFd(fd, reader);
    return { grouped: reader.grouped, runs };
  } catch (err) {
    if (err instanceof NotGrouped) return { grouped: false, runs };
    throw err;
  } finally {
    closeSync(fd);
  }
}
