/**
 * The CLI's second thread: reads and detects one part of the export (readPart) while the main thread does the other,
 * and posts back the part, or the malformed row's line within it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CsvError } from "./staypoints-csv";
import { type Part, readPart } from "./staypoints-segment";
import type { StayPointOptions } from "../../functions/src/gps/staypoints";

export interface PartRequest {
  path: string;
  start: number;
  end: number;
  options: StayPointOptions;
}

export type PartReply = { part: Part } | { csvError: { line: number; message: string } } | { failure: string };

function reply(message: PartReply, transfer: ArrayBuffer[] = []): void {
  (parentPort as NonNullable<typeof parentPort>).postMessage(message, transfer);
}

const request = workerData as PartRequest;
try {
  const part = readPart(request.path, request.start, request.end, request.options);
  const transfer: ArrayBuffer[] = [];
  for (const run of part.runs) if (run.cols) transfer.push(run.cols.t.buffer as ArrayBuffer, run.cols.lat.buffer as ArrayBuffer, run.cols.lng.buffer as ArrayBuffer);
  reply({ part }, transfer);
} catch (err) {
  reply(err instanceof CsvError ? { csvError: { line: err.line, message: err.message } } : { failure: err instanceof Error ? err.message : String(err) });
}
