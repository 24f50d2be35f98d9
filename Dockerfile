# syntax=docker/dockerfile:1
# CdnProxy container image. Build from the repository root:
#   docker build -t cdnproxy .
#   docker run --rm -p 8080:8080 cdnproxy
# Two stages: publish the server compiled ahead of time (Native AOT: one executable, no JIT; restore brings libvips,
# which the NetVips.Native package puts beside it) with the .NET SDK and clang, then copy it onto the runtime-deps
# image (glibc, OpenSSL, no .NET runtime), running as the non-root user `app`.

# ---- 1. build: restore and publish src/CdnProxy.Server (config/ and samples/ come with the publish output)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Native AOT links with the platform toolchain.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole context (trimmed by .dockerignore): the server project references other src/ projects, central
# package versions and build props at the root, and config/ + samples/ that its project copies to the output.
COPY . .
# One RUN for restore and publish, so the package cache mount is the same for both.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    rid=linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64) \
 && dotnet restore src/CdnProxy.Server/CdnProxy.Server.csproj -r "$rid" \
 && dotnet publish src/CdnProxy.Server/CdnProxy.Server.csproj -c Release -r "$rid" --no-restore -o /out/app \
 && rm -f /out/app/*.dbg /out/app/*.pdb /out/app/*.xml \
 && test -x /out/app/CdnProxy.Server

# ---- 2. runtime
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS final
WORKDIR /app
COPY --from=build /out/app/ /app/
# libvips (LGPL-3.0-or-later) is /app/libvips.so.42; it needs only glibc, libstdc++ and libgcc_s, which the image has.
# MALLOC_ARENA_MAX=2: keeps RSS flat under libvips' worker threads (glibc otherwise creates many malloc arenas).
# ASPNETCORE_URLS takes precedence over the base image's ASPNETCORE_HTTP_PORTS.
ENV MALLOC_ARENA_MAX=2 \
    ASPNETCORE_URLS=http://+:8080 \
    CdnProxy__DataDirectory=/data
# The base image defines the unprivileged user `app` (uid 1654). /app stays owned by root, read-only for it; /data
# (the writable cloud `uploads`, docs/uploads.md) is the app user's: mount a volume there to keep uploads.
RUN mkdir -p /data && chown app /data
VOLUME /data
USER app
EXPOSE 8080
# No HEALTHCHECK: the runtime image has no curl or wget. Orchestrators probe HTTP directly:
# liveness GET /healthz/live, readiness GET /healthz/ready (200 once libvips works).
ENTRYPOINT ["/app/CdnProxy.Server"]
