# Container image of the exporter: the exporter's own Java runtime, as `mvn package` builds it in
# exporter/target/listenq-exporter (jlink runtime with the JVM options baked in, AOT cache,
# launcher), copied onto a base that only needs glibc, sh and readlink; run as nobody.
#
#   mvn -B -DskipTests clean package
#   docker build -t listenq-exporter .
#
# Without a registry, build the base locally (deploy/container/build-base-image.sh) and pass
#   --build-arg BASE_IMAGE=localhost/listenq-base:bookworm
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="listenq-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Linux listen-queue state per listener and network namespace"

COPY exporter/target/listenq-exporter /usr/lib/listenq-exporter

EXPOSE 9469
# Numeric, so that Kubernetes' runAsNonRoot can check it. The DaemonSet overrides it
# (see docs/deployment.md): joining other namespaces needs capabilities of uid 0.
USER 65534:65534
# JVM options are baked into the runtime; LISTENQ_JAVA_OPTIONS adds to them (no JDK_JAVA_OPTIONS,
# whose "NOTE: Picked up" line the java launcher prints on every start).
ENTRYPOINT ["/usr/lib/listenq-exporter/bin/listenq-exporter"]
