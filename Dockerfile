# syntax=docker/dockerfile:1
# The sample app (adapters/target/hexbus-app.jar) in a container. Build and run it with Redis: docker compose up
# (compose.yaml). Built from the repository root; ContainerFilesTest (release-checks) checks what it names.

# Build stage: the Maven wrapper on a JDK 17, only the modules the app needs, no tests, no Javadoc or sources jars.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Maven reads every module the parent POM lists, so each one is copied, even those -pl leaves out.
COPY hexbus-bom/ hexbus-bom/
COPY event-bus-api/ event-bus-api/
COPY event-bus-codec/ event-bus-codec/
COPY event-bus-engine/ event-bus-engine/
COPY event-bus-inmemory/ event-bus-inmemory/
COPY event-bus-redis/ event-bus-redis/
COPY event-bus-kafka/ event-bus-kafka/
COPY event-bus-rabbitmq/ event-bus-rabbitmq/
COPY event-bus-outbox-jdbc/ event-bus-outbox-jdbc/
COPY event-bus-scheduling/ event-bus-scheduling/
COPY event-bus-opentelemetry/ event-bus-opentelemetry/
COPY event-bus-admin-http/ event-bus-admin-http/
COPY event-bus-micrometer/ event-bus-micrometer/
COPY domain-sample/ domain-sample/
COPY adapters/ adapters/
COPY hexbus-spring-boot-starter/ hexbus-spring-boot-starter/
COPY spring-boot-sample/ spring-boot-sample/
COPY architecture-tests/ architecture-tests/
COPY release-checks/ release-checks/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl adapters -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true

# Run stage: a JRE, the shaded jar, a user without privileges.
FROM eclipse-temurin:17-jre
RUN groupadd --system hexbus && useradd --system --gid hexbus --no-create-home --shell /usr/sbin/nologin hexbus
WORKDIR /app
COPY --from=build /src/adapters/target/hexbus-app.jar /app/hexbus-app.jar
USER hexbus
# HTTP (HTTP_ENABLED=true): inside the container it must listen on every interface (HTTP_HOST=0.0.0.0) for a
# published port to reach it; publish it to the host's loopback only (compose.yaml does).
EXPOSE 8080
# SIGTERM from docker stop reaches the JVM directly (exec form), so the graceful shutdown runs (docs/running.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/hexbus-app.jar"]
