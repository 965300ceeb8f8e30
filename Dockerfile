# syntax=docker/dockerfile:1
# dnbot: build stage compiles better-sqlite3 from source and the TypeScript to dist/, then drops
# the dev dependencies; the runtime stage runs as the unprivileged `node` user.
#   docker build -t dnbot .
#   docker run --rm -v dnbot-data:/app/data dnbot run --duration 1h
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is built here, against this image's Node and libc (no prebuilt download).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
COPY adapters ./adapters
COPY strategies ./strategies
COPY config ./config
# `npm ci` runs `prepare`, which compiles to dist/.
RUN npm_config_build_from_source=true npm ci \
 && node -e "const D = require('better-sqlite3'); new D(':memory:').close()" \
 && test -f dist/.build-stamp \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8787
# /ready: the bot trades (reads need the token when the API is bound beyond loopback, as here).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8787/ready',{headers:{authorization:'Bearer '+(process.env.DNBOT_CONTROL_TOKEN||'')}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/dnbot.js"]
CMD ["run", "--config", "/app/config/docker.json"]
