# syntax=docker/dockerfile:1
# CdnProxy container image. Build from the repository root:
#   docker build -t cdnproxy .
#   docker run --rm -p 8080:8080 cdnproxy
# Three stages: publish the server with the .NET SDK; fetch the prebuilt libvips (the same npm package
# scripts/setup.sh uses); assemble both on the ASP.NET Core runtime image, running as the non-root user `app`.

ARG LIBVIPS_PACKAGE=@img/sharp-libvips-linux-x64
ARG LIBVIPS_PACKAGE_VERSION=1.3.4
ARG LIBVIPS_SO=libvips-cpp.so.8.18.7

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

# ---- 2. libvips: the prebuilt shared library from its npm package (nothing is compiled)
FROM node:20-bookworm-slim AS libvips
ARG LIBVIPS_PACKAGE
ARG LIBVIPS_PACKAGE_VERSION
ARG LIBVIPS_SO
WORKDIR /tmp/pack
RUN npm pack --silent "${LIBVIPS_PACKAGE}@${LIBVIPS_PACKAGE_VERSION}" \
 && mkdir -p /out/libvips \
 && tar -xzf ./*.tgz -C /out/libvips --strip-components=1 \
 && test -f "/out/libvips/lib/${LIBVIPS_SO}"

# ---- 3. runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
ARG LIBVIPS_SO
WORKDIR /app
COPY --from=build /out/app/ /app/
# The library needs only glibc, libstdc++ and libgcc_s, which the runtime image already has.
COPY --from=libvips /out/libvips/lib/${LIBVIPS_SO} /app/.native/libvips/lib/${LIBVIPS_SO}
# libvips is LGPL-3.0-or-later: keep the package's metadata (licence, bundled library versions) next to it.
COPY --from=libvips /out/libvips/package.json /out/libvips/versions.json /out/libvips/README.md /app/.native/libvips/
# CDNPROXY_LIBVIPS: the server's libvips resolver loads exactly this file.
# MALLOC_ARENA_MAX=2: keeps RSS flat under libvips' worker threads (glibc otherwise creates many malloc arenas).
# ASPNETCORE_URLS takes precedence over the base image's ASPNETCORE_HTTP_PORTS.
ENV CDNPROXY_LIBVIPS=/app/.native/libvips/lib/${LIBVIPS_SO} \
    MALLOC_ARENA_MAX=2 \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# The base image defines the unprivileged user `app` (uid 1654). /app stays owned by root, read-only for it.
USER app
EXPOSE 8080
# No HEALTHCHECK: the runtime image has no curl or wget. Orchestrators probe HTTP directly:
# liveness GET /healthz/live, readiness GET /healthz/ready (200 once libvips works).
ENTRYPOINT ["dotnet", "/app/CdnProxy.Server.dll"]
