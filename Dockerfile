# syntax=docker/dockerfile:1
# CdnProxy container image. Build from the repository root:
#   docker build -t cdnproxy .
#   docker run --rm -p 8080:8080 cdnproxy
# Two stages: publish the server with the .NET SDK (restore brings libvips: the NetVips.Native package puts the
# prebuilt libvips for linux-x64 in runtimes/), then copy it onto the ASP.NET Core runtime image, running as the
# non-root user `app`.

# ---- 1. build: restore and publish src/CdnProxy.Server (config/ and samples/ come with the publish output)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
# The whole context (trimmed by .dockerignore): the server project references other src/ projects, central
# package versions and build props at the root, and config/ + samples/ that its project copies to the output.
COPY . .
# One RUN for restore and publish, so the package cache mount is the same for both.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/CdnProxy.Server/CdnProxy.Server.csproj \
 && dotnet publish src/CdnProxy.Server/CdnProxy.Server.csproj -c Release --no-restore \
      -o /out/app -p:UseAppHost=false \
 && test -f /out/app/CdnProxy.Server.dll

# ---- 2. runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /out/app/ /app/
# libvips (LGPL-3.0-or-later) is /app/runtimes/linux-x64/native/libvips.so.42; it needs only glibc, libstdc++ and
# libgcc_s, which the runtime image has.
# MALLOC_ARENA_MAX=2: keeps RSS flat under libvips' worker threads (glibc otherwise creates many malloc arenas).
# ASPNETCORE_URLS takes precedence over the base image's ASPNETCORE_HTTP_PORTS.
ENV MALLOC_ARENA_MAX=2 \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    CdnProxy__DataDirectory=/data
# The base image defines the unprivileged user `app` (uid 1654). /app stays owned by root, read-only for it; /data
# (the writable cloud `uploads`, docs/uploads.md) is the app user's: mount a volume there to keep uploads.
RUN mkdir -p /data && chown app /data
VOLUME /data
USER app
EXPOSE 8080
# No HEALTHCHECK: the runtime image has no curl or wget. Orchestrators probe HTTP directly:
# liveness GET /healthz/live, readiness GET /healthz/ready (200 once libvips works).
ENTRYPOINT ["dotnet", "/app/CdnProxy.Server.dll"]
