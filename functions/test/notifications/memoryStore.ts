import type { Installation, InstallationStore, InstallationToken, RegisterResult } from "../../src/notifications/store";
import { LedgerRunStore, registeredInstallation } from "../../src/notifications/store";
import { MemoryOnceLedger } from "../core/memoryOnceLedger";
import type { Registration } from "../../src/notifications/tokens";

/** In-memory installation registry honouring the InstallationStore contract (tests, benchmarks, local runs). */
export class InMemoryInstallationStore implements InstallationStore {
  private readonly byId = new Map<string, Installation>();

  register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult> {
    const previous = this.byId.get(registration.installationId);
    if (previous && previous.uid !== uid) return Promise.resolve({ state: "owned_by_other" });
    const replaced: string[] = [];
    for (const other of this.byId.values()) {
      if (other.uid === uid && other.fcmToken === registration.fcmToken && other.installationId !== registration.installationId) {
        replaced.push(other.installationId);
      }
    }
    for (const id of replaced) this.byId.delete(id);
    this.byId.set(registration.installationId, { installationId: registration.installationId, ...registeredInstallation(uid, registration, nowMs) });
    const previousToken = previous && previous.fcmToken !== registration.fcmToken ? { previousToken: previous.fcmToken } : {};
    return Promise.resolve({ state: previous ? "refreshed" : "created", replaced: replaced.sort(), ...previousToken });
  }

  unregister(uid: string, installationId: string): Promise<Installation | undefined> {
    const existing = this.byId.get(installationId);
    if (!existing || existing.uid !== uid) return Promise.resolve(undefined);
    this.byId.delete(installationId);
    return Promise.resolve({ ...existing });
  }

  holdsToken(token: string): Promise<boolean> {
    for (const installation of this.byId.values()) if (installation.fcmToken === token) return Promise.resolve(true);
    return Promise.resolve(false);
  }

  pageById(afterId: string | null, limit: number): Promise<InstallationToken[]> {
    const ids = [...this.byId.keys()].filter((id) => afterId === null || id > afterId).sort().slice(0, limit);
    return Promise.resolve(ids.map((id) => ({ installationId: id, fcmToken: (this.byId.get(id) as Installation).fcmToken })));
  }

  prune(entries: readonly InstallationToken[]): Promise<number> {
    let removed = 0;
    for (const entry of entries) {
      if (this.byId.get(entry.installationId)?.fcmToken !== entry.fcmToken) continue;
      this.byId.delete(entry.installationId);
      removed += 1;
    }
    return Promise.resolve(removed);
  }

  get(installationId: string): Promise<Installation | undefined> {
    const installation = this.byId.get(installationId);
    return Promise.resolve(installation ? { ...installation } : undefined);
  }
}

/** In-memory run records with the same claim rules as the Firestore store. */
export class InMemoryRunStore extends LedgerRunStore {
  constructor() {
    super(new MemoryOnceLedger());
  }
}
