// Creates the bridge's Pub/Sub topics and outbound subscription in the Pub/Sub emulator (PUBSUB_EMULATOR_HOST),
// as production has them (docs/bridge.md). Existing ones are left as they are.
"use strict";
const path = require("node:path");

if (!process.env.PUBSUB_EMULATOR_HOST) {
  console.error("pubsub-topics: PUBSUB_EMULATOR_HOST is not set; refusing to touch a real project.");
  process.exit(2);
}
const { PubSub } = require(require.resolve("@google-cloud/pubsub", { paths: [path.resolve(__dirname, "..", "functions")] }));
const ALREADY_EXISTS = 6;

async function ensure(create) {
  try {
    await create();
  } catch (err) {
    if (err.code !== ALREADY_EXISTS) throw err;
  }
}

async function main() {
  const pubsub = new PubSub({ projectId: process.env.PUBSUB_PROJECT_ID ?? "demo-wolley" });
  for (const topic of ["mqtt-inbound", "mqtt-outbound", "mqtt-outbound-dead-letter"]) {
    await ensure(() => pubsub.createTopic(topic));
  }
  await ensure(() => pubsub.topic("mqtt-outbound").createSubscription("mqtt-outbound-bridge", { ackDeadlineSeconds: 30 }));
  console.log("pubsub-topics: mqtt-inbound, mqtt-outbound, mqtt-outbound-dead-letter, mqtt-outbound-bridge ready");
  await pubsub.close();
}

main().catch((err) => {
  console.error(`pubsub-topics: ${err.message}`);
  process.exit(1);
});
