# Joined Up in a container: the same scripts/install-production.sh as a Debian server, then gunicorn.
# Not built in CI (no container registry is reachable there): see the README, "Running in production".
#
#   docker build -t joinedup .
#   docker run --env-file joinedup.env -p 8000:8000 -v joinedup-data:/var/lib/joinedup joinedup
#   (worker: ... joinedup worker; scheduler: ... joinedup scheduler; migrate: ... joinedup manage migrate)

FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets ./assets
RUN npm run --silent build

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/joinedup --create-home joinedup
WORKDIR /src
COPY . .
COPY --from=assets /src/assets/dist ./assets/dist
RUN PYTHON_BIN=python3.11 scripts/install-production.sh /opt/joinedup && rm -rf /src
ENV PATH=/opt/joinedup/venv/bin:$PATH \
    JOINEDUP_ENV=production \
    JOINEDUP_DATA_DIR=/var/lib/joinedup \
    JOINEDUP_STATIC_ROOT=/opt/joinedup/static \
    JOINEDUP_BIND=0.0.0.0:8000
USER joinedup
WORKDIR /var/lib/joinedup
VOLUME /var/lib/joinedup
EXPOSE 8000
CMD ["sh", "-c", "joinedup check --deploy && exec gunicorn --config=python:joinedup.config.gunicorn joinedup.config.wsgi:application"]
