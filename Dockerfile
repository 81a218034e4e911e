# Container image of the exporter, in the Prometheus exporters' layout: one prebuilt
# artifact copied onto a small base, run as nobody.
#
#   mvn -B clean package -DskipTests
#   docker build -t listenq-exporter .
#
# Without a registry, build the base locally (deploy/container/build-base-image.sh) and pass
#   --build-arg BASE_IMAGE=localhost/listenq-java-base:25
# The base must provide `java` (25 or newer) on PATH.
ARG BASE_IMAGE=eclipse-temurin:25-jre
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="listenq-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Linux listen-queue state per listener and network namespace"

COPY exporter/target/listenq-exporter.jar /usr/share/listenq-exporter/listenq-exporter.jar

# The heap the README's figures were measured with; override JDK_JAVA_OPTIONS to change it.
ENV JDK_JAVA_OPTIONS="-Xmx64m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
EXPOSE 9469
# Numeric, so that Kubernetes' runAsNonRoot can check it. The DaemonSet overrides it
# (see docs/deployment.md): joining other namespaces needs capabilities of uid 0.
USER 65534:65534
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/usr/share/listenq-exporter/listenq-exporter.jar"]
