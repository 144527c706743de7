import { type BrokerCredentials, LOCAL_BROKER_USERS } from "../../src/localBrokerUsers";

/** The local broker account of this name (`src/localBrokerUsers.ts`), for a test or benchmark client to sign in as. */
export function localUser(username: string): BrokerCredentials {
  const user = LOCAL_BROKER_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no local broker user ${username}`);
  return user;
}
