# The MQTT ↔ Pub/Sub bridge as a container, built from the functions package (same sources, same lockfile).
#   docker build -f functions/bridge.Dockerfile -t wolley-bridge functions
#   docker run --rm -e MQTT_URL=mqtt://broker:1883 -e PUBSUB_PROJECT_ID=my-project -p 8080:8080 wolley-bridge
# Settings are environment variables, documented in docs/bridge.md; a bad one stops the container with exit 2.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/lib ./lib
USER node
EXPOSE 8080
# Liveness for plain Docker; Kubernetes/Cloud Run should probe /healthz (liveness) and /readyz (readiness) instead.
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: it drains in-flight messages for BRIDGE_DRAIN_TIMEOUT_MS, then exits.
STOPSIGNAL SIGTERM
CMD ["node", "lib/bridge/service/main.js"]
