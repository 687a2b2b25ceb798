# syntax=docker/dockerfile:1
# Multi-stage: the toolchain that compiles better-sqlite3 stays in the build stage. Both stages use
# the same Debian base so the native addon built here matches the runtime's glibc.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    KNOWLEDGE_DIR=/app/knowledge
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/knowledge ./knowledge
# The SQLite catalogue lives here; mount a volume so an ingested catalogue survives restarts.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node directly, not npm: npm would swallow SIGTERM/SIGINT and the graceful shutdown would never run.
# Run with `docker run --init` so PID 1 reaps zombies and forwards signals.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
