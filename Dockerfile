# Build the web UI, then the server; ship both in a slim image.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY openapi.yaml /src/openapi.yaml
COPY frontend/ ./
RUN npm run build

FROM rust:1-bookworm AS server
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release --locked -p guanxi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/guanxi guanxi
COPY --from=server /src/target/release/guanxi /usr/local/bin/guanxi
COPY --from=web /src/frontend/dist /usr/share/guanxi/web
ENV GUANXI_BIND=0.0.0.0:8080 GUANXI_DATA_DIR=/var/lib/guanxi GUANXI_STATIC_DIR=/usr/share/guanxi/web \
    GUANXI_LOG_FORMAT=json
USER guanxi
VOLUME /var/lib/guanxi
EXPOSE 8080
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["guanxi"]
CMD ["serve"]
