// Creates the bridge's Pub/Sub topics and outbound subscription in the Pub/Sub emulator (PUBSUB_EMULATOR_HOST),
// as production has them (docs/bridge.md). Existing ones are left as they are.
"use strict";

if (!process.env.PUBSUB_EMULATOR_HOST) {
  console.error("pubsub-topics: PUBSUB_EMULATOR_HOST is not set; refusing to touch a real project.");
  process.exit(2);
}
const { PubSub } = require("@google-cloud/pubsub");
const { PUBSUB } = require("@wolley/contract");
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
  const topics = [PUBSUB.inboundTopic, PUBSUB.outboundTopic, PUBSUB.deadLetterTopic];
  for (const topic of topics) await ensure(() => pubsub.createTopic(topic));
  await ensure(() =>
    pubsub.topic(PUBSUB.outboundTopic).createSubscription(PUBSUB.outboundSubscription, { ackDeadlineSeconds: 30 }),
  );
  console.log(`pubsub-topics: ${[...topics, PUBSUB.outboundSubscription].join(", ")} ready`);
  await pubsub.close();
}

main().catch((err) => {
  console.error(`pubsub-topics: ${err.message}`);
  process.exit(1);
});
