# syntax=docker/dockerfile:1
# TrainingService: SDK build and publish (no tests) → ASP.NET runtime image, non-root, data in /data.
# tests/container/run.sh performs the same steps without Docker (CI has no Docker engine).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so that a source change does not re-download packages.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/TrainingService.Engine/TrainingService.Engine.csproj src/TrainingService.Engine/
COPY src/TrainingService.Data/TrainingService.Data.csproj src/TrainingService.Data/
COPY src/TrainingService.Api/TrainingService.Api.csproj src/TrainingService.Api/
COPY migrations/TrainingService.Migrations.csproj migrations/
COPY migrations/Postgres/TrainingService.Migrations.Postgres.csproj migrations/Postgres/
RUN dotnet restore src/TrainingService.Api/TrainingService.Api.csproj
COPY src/TrainingService.Engine/ src/TrainingService.Engine/
COPY src/TrainingService.Data/ src/TrainingService.Data/
COPY src/TrainingService.Api/ src/TrainingService.Api/
COPY migrations/ migrations/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/TrainingService.Api/TrainingService.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's non-root user (APP_UID, 1654) owns /data: the SQLite database, uploads/, mnist/ and CSVs.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Training__DataDirectory=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
# No curl or wget in the runtime image: the app probes its own /healthz (dotnet TrainingService.Api.dll --healthcheck).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "/app/TrainingService.Api.dll", "--healthcheck"]
# SIGTERM stops the host: training sessions stop between two steps, runs stay `running` with their last epoch
# checkpoint and lease released, and resume on the next start (or on another worker). docker-compose.yml gives the
# container 30 s (stop_grace_period) so the current step and the last metric flush finish before a SIGKILL.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/TrainingService.Api.dll"]
