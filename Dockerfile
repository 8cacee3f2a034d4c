# МЦУ platform image: compiled JavaScript, production dependencies only, non-root, tini as PID 1.
# NEVER BUILT HERE (no Docker engine on our machines): what was proved without it and how to check the
# image after a first build are in docs/operations/deployment.md, "The image".
#
# Base image pinned by digest (Node 22 LTS, Debian 12 "bookworm", slim). The digest was taken from public
# repositories that pin the same tag (one of them asserts `node --version` = v22.23.1 in it); it could not
# be verified here. Before the first build, check it or re-pin to the current one:
#   docker buildx imagetools inspect node:22-bookworm-slim --format '{{json .Manifest.Digest}}'
ARG NODE_IMAGE=node:22-bookworm-slim@sha256:53ada149d435c38b14476cb57e4a7da73c15595aba79bd6971b547ceb6d018bf

# --- build: every dependency, then tsc (type-checks) and the run-time files beside the compiled code ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: tsc needs none, and the embedded PostgreSQL's binaries are never used here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# --- production dependencies only: no tsx, no Bot API emulator, no embedded PostgreSQL, no pino-pretty ---
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (graceful stop: intake → workers → database) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# SANDBOX=false: the sandbox needs development packages the image has not; with no token the app runs
# with idle messengers (set TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN, MAX_BOT_TOKEN in the environment).
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 HTTP_PORT=3000 DATA_DIR=/data SANDBOX=false
WORKDIR /app
# Owned by root, read-only to the app's user. The app reads MCU_CONFIG (default config/barnaul.yaml),
# the production calendar and the classifier examples relative to /app.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
COPY bin/mcu.js ./bin/mcu.js
# `mcu …` on PATH: bin/mcu.js runs dist/scripts/mcu.js when there is no TypeScript source beside it.
RUN ln -s /app/bin/mcu.js /usr/local/bin/mcu \
  && mkdir -p /data && chown node:node /data
USER node
# DATA_DIR: the generated API token when API_TOKEN is unset.
VOLUME ["/data"]
EXPOSE 3000
# The slim image has no curl: probe readiness with Node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
