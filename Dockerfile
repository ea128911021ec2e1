# syntax=docker/dockerfile:1.7
# Paved's production image: the backend serves the built frontend on :7007.
#
#   docker build -t paved .
#   docker run -p 7007:7007 --env-file paved.env paved
#
# Multi-stage: toolchain, build and production dependencies in the first stages; the final image holds the
# production dependencies, the backend bundle, Python with mkdocs-techdocs-core for
# TechDocs built locally, and runs as the non-root `node` user. docs/running.md lists
# the environment variables.

# --- 0. Toolchain for installing: native-module build tools and Yarn 4 ---
FROM node:22-bookworm-slim AS toolchain
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make libsqlite3-dev && \
    rm -rf /var/lib/apt/lists/*
# Yarn 4 from the npm registry, as ./paved does (corepack cannot always fetch it).
RUN npm install -g @yarnpkg/cli-dist@4.13.0 && \
    ln -sf /usr/local/lib/node_modules/@yarnpkg/cli-dist/bin/yarn.js /usr/local/bin/yarn
USER node
WORKDIR /app

# --- 1. Install every dependency and build the app and the backend bundle ---
FROM toolchain AS build
COPY --chown=node:node . .
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    yarn install --immutable
RUN yarn tsc && yarn build:backend

# --- 2. Production dependencies only, from the backend's skeleton ---
FROM toolchain AS deps
COPY --chown=node:node .yarnrc.yml package.json yarn.lock backstage.json ./
COPY --from=build --chown=node:node /app/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    yarn workspaces focus --all --production

# --- 3. The runtime image ---
FROM node:22-bookworm-slim
# Every program the backend runs (git, pg_dump/pg_restore, mkdocs) and the packages
# the image needs come from deploy/runtime-programs.yaml, the one list (its `debian:`
# lines; runtimePrograms.test.ts keeps it, this stage and docs/running.md in step).
# pg_dump must be of a major at least the servers' (up to 17), newer than bookworm's
# 15: PGDG's apt.postgresql.org, set up by Debian's postgresql-common with its key.
# mkdocs and mkdocs-techdocs-core for TechDocs (techdocs.generator.runIn: local) go
# into a virtualenv from requirements-docs.txt.
COPY deploy/runtime-programs.yaml /tmp/runtime-programs.yaml
COPY requirements-docs.txt /tmp/requirements-docs.txt
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates postgresql-common && \
    /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y && \
    apt-get install -y --no-install-recommends $(sed -n 's/^[ -]*debian: *//p' /tmp/runtime-programs.yaml) && \
    python3 -m venv /opt/mkdocs && \
    /opt/mkdocs/bin/pip install --no-cache-dir -r /tmp/requirements-docs.txt && \
    rm -rf /var/lib/apt/lists/* /tmp/requirements-docs.txt /tmp/runtime-programs.yaml
# PAVED_PG_BIN: the backups' pg_dump and pg_restore, the client of the list's major.
ENV PATH=/opt/mkdocs/bin:$PATH \
    PAVED_PG_BIN=/usr/lib/postgresql/17/bin \
    NODE_ENV=production \
    NODE_OPTIONS=--no-node-snapshot
USER node
WORKDIR /app
COPY --from=deps --chown=node:node /app ./
COPY --from=build --chown=node:node /app/packages/backend/dist/bundle.tar.gz ./
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz && mkdir -p /app/data/techdocs
COPY --chown=node:node app-config.yaml app-config.production.yaml app-config.oidc.yaml catalog-info.yaml mkdocs.yml ./
COPY --chown=node:node docs ./docs
COPY --chown=node:node examples ./examples
COPY --chown=node:node templates ./templates
EXPOSE 7007
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
