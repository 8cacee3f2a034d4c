# МЦУ platform image. NOT built in CI (no Docker engine there): see README.md, "Docker".

# --- build: install everything, compile TypeScript (tsc type-checks the production code) ---------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies, compiled code and the domain file only ---------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 DATA_DIR=/data
# The compiled main reads MCU_CONFIG (default config/barnaul.yaml) relative to the working directory.
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config/*.yaml config/*.json ./config/
# The own labelled examples: retraining scores a new model on them before it is switched on.
COPY config/classifier-examples ./config/classifier-examples
# The default and intent classifiers (word statistics, no texts): dist/src/structuring/load-model.js looks for them beside the compiled classifier.
COPY lib/classifier/default-model.json lib/classifier/intent-model.json ./dist/lib/classifier/
# DATA_DIR holds the generated API token (and the embedded cluster if DATABASE_URL is unset).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The slim image has no curl: probe with Node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (intake → workers → database, exit 0 within 10 s).
CMD ["node", "dist/src/main.js"]
