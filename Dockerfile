# Milkrun in production: built in one stage with the dev tools, run in another with production dependencies only.
# No Docker engine runs on the CI machines: scripts/docker-steps.sh runs these same steps on a clean copy there.

# --- build: the admin (vite) and the server (esbuild) into admin/dist and dist
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- run: production dependencies, the built files, a non-root user
FROM node:20-bookworm-slim
# pg_dump/pg_restore for `npm run backup` / `npm run restore` against PostgreSQL 15.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/admin/dist ./admin/dist
COPY scripts/launch.mjs ./scripts/launch.mjs
RUN mkdir -p /app/.data /backups && chown node:node /app/.data /backups
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/server.js"]
