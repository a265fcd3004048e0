package io.hexbus.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Dockerfile and compose.yaml at the repository's root, checked without a Docker engine: compose.yaml parses
 * (and {@code docker compose config} accepts it where the Docker CLI has compose), its services run the sample app
 * in queue mode against the Redis service, every variable it sets is one the app reads ({@link AppConfig} is given
 * the environment, and dropping any one variable changes the configuration: a misspelt name, which the app
 * ignores, would not), the admin port is published to loopback only; the Dockerfile builds with the wrapper on a
 * JDK 17, runs the shaded jar on a JRE as a user without privileges, and every path it copies exists.
 *
 * <p>In package {@code io.hexbus.app} to read the app's configuration as the app does.
 */
class ContainerFilesTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}");
    private static final String TOKEN = "compose-test-token-0123456789";

    private final Path root = Path.of(System.getProperty("hexbus.root", "..")).toAbsolutePath().normalize();

    @Test
    void composeRunsTheAppAndAWorkerInQueueModeAgainstItsRedis() throws IOException {
        JsonNode services = compose().path("services");
        assertEquals(List.of("app", "redis", "worker"), sorted(services.fieldNames()));
        assertTrue(services.path("redis").path("image").asText().startsWith("redis:7"), services.toString());

        for (String name : List.of("app", "worker")) {
            JsonNode service = services.path(name);
            assertEquals(".", service.path("build").asText(), name + " builds the Dockerfile at the root");
            assertEquals(services.path("app").path("image").asText(), service.path("image").asText());
            assertTrue(service.path("depends_on").has("redis"), name + " waits for Redis");
            AppConfig config = AppConfig.from(environment(service));
            assertEquals(TransportChoice.QUEUE, config.transport(), name);
            assertEquals("redis", config.redis().connection().host(), name + ": REDIS_URL names the redis service");
            assertEquals(6379, config.redis().connection().port(), name);
        }
        assertEquals(Mode.ALL, AppConfig.from(environment(services.path("app"))).mode());
        assertEquals(Mode.WORKER, AppConfig.from(environment(services.path("worker"))).mode());
    }

    @Test
    void theAppServesHttpOnLoopbackOfTheHostWithTheTokenFromTheEnvironment() throws IOException {
        JsonNode app = compose().path("services").path("app");
        AppConfig config = AppConfig.from(environment(app));
        assertTrue(config.http().enabled());
        assertEquals("0.0.0.0", config.http().host(), "inside the container, for the published port to reach it");
        assertEquals(java.util.Optional.of(TOKEN), config.http().adminToken());
        assertTrue(app.path("environment").path("HEXBUS_ADMIN_TOKEN").asText().startsWith("${HEXBUS_ADMIN_TOKEN:?"),
                "the token comes from the environment, and compose refuses to start without it");

        List<String> ports = new ArrayList<>();
        app.path("ports").forEach(port -> ports.add(port.asText()));
        assertEquals(List.of("127.0.0.1:" + config.http().port() + ":" + config.http().port()), ports,
                "the admin API is published to the host's loopback only");
    }

    @Test
    void everyVariableComposeSetsIsOneTheAppReads() throws IOException {
        JsonNode services = compose().path("services");
        List<String> ignored = new ArrayList<>();
        for (String name : List.of("app", "worker")) {
            Map<String, String> environment = environment(services.path(name));
            AppConfig config = AppConfig.from(environment);
            for (String variable : environment.keySet()) {
                Map<String, String> without = new HashMap<>(environment);
                without.remove(variable);
                if (readsTheSame(without, config)) {
                    ignored.add(name + ": " + variable);
                }
            }
        }
        assertTrue(ignored.isEmpty(), "the app ignores these variables (misspelt, or set to their default): "
                + ignored);
    }

    @Test
    void aMisspeltVariableIsCaught() {
        Map<String, String> environment = Map.of("USE_QUEUE_EVENTBUS", "true", "REDIS_URL", "redis://redis:6379");
        AppConfig config = AppConfig.from(environment);
        Map<String, String> without = new HashMap<>(environment);
        without.remove("USE_QUEUE_EVENTBUS");
        assertEquals(AppConfig.from(without), config, "the check above relies on an unknown name changing nothing");
        assertNotEquals(TransportChoice.QUEUE, config.transport());
    }

    @Test
    void theDockerfileBuildsWithTheWrapperAndRunsTheShadedJarOnAJreAsAnUnprivilegedUser() throws IOException {
        List<String> lines = dockerfile();
        List<String> from = lines.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertEquals(2, from.size(), "two stages: " + from);
        assertTrue(from.get(0).matches("FROM eclipse-temurin:17-jdk\\S* AS build"), from.get(0));
        assertTrue(from.get(1).matches("FROM eclipse-temurin:17-jre\\S*"), from.get(1));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("RUN ") && line.contains("./mvnw ")),
                "the build stage builds with the wrapper");

        String jar = shadedJarName();
        String copied = "/src/adapters/target/" + jar + ".jar";
        assertTrue(lines.contains("COPY --from=build " + copied + " /app/hexbus-app.jar"),
                "the run stage copies the shaded jar the adapters POM names (" + copied + ")");
        String entrypoint = lines.stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElse("");
        assertTrue(entrypoint.contains("\"-jar\", \"/app/hexbus-app.jar\""), entrypoint);

        int runStage = lines.indexOf(from.get(1));
        List<String> users = lines.subList(runStage, lines.size()).stream()
                .filter(line -> line.startsWith("USER ")).toList();
        assertEquals(1, users.size(), "one USER in the run stage: " + users);
        String user = users.get(0).substring("USER ".length()).strip();
        assertFalse(user.equals("root") || user.equals("0") || user.startsWith("0:"), user);
        assertTrue(lines.indexOf(users.get(0)) < lines.indexOf(entrypoint), "the user is set before the entrypoint");
    }

    @Test
    void everyPathTheDockerfileCopiesExistsAndEveryModuleIsCopied() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        for (String line : dockerfile()) {
            if (line.startsWith("COPY ") && !line.startsWith("COPY --from=")) {
                String[] words = line.substring("COPY ".length()).trim().split("\\s+");
                for (int i = 0; i < words.length - 1; i++) {
                    copied.add(words[i].replaceAll("/$", ""));
                    if (!Files.exists(root.resolve(words[i]))) {
                        missing.add(words[i]);
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "the Dockerfile copies paths that do not exist: " + missing);
        // Maven reads every module the parent lists, even with -pl: one not copied breaks the image's build.
        String parent = Files.readString(root.resolve("pom.xml"));
        String modules = parent.substring(parent.indexOf("<modules>"), parent.indexOf("</modules>"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(modules);
        while (module.find()) {
            assertTrue(copied.contains(module.group(1)), "the Dockerfile does not copy module " + module.group(1));
        }
        String ignore = Files.readString(root.resolve(".dockerignore"));
        assertTrue(ignore.contains("**/target/"), "build output stays out of the build context");
    }

    @Test
    void dockerComposeAcceptsTheFileWhereItIsInstalled() throws Exception {
        // Reported as skipped, not passed, where it cannot run: the YAML checks above are then the check.
        Process version;
        try {
            version = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
        } catch (IOException noDocker) {
            abort("no Docker CLI on this machine: compose.yaml was checked by its YAML parse only");
            return;
        }
        version.getInputStream().readAllBytes();
        assumeTrue(version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0,
                "the Docker CLI has no compose plugin: compose.yaml was checked by its YAML parse only");
        ProcessBuilder config = new ProcessBuilder("docker", "compose", "-f", root.resolve("compose.yaml").toString(),
                "config", "--quiet").redirectErrorStream(true);
        config.environment().put("HEXBUS_ADMIN_TOKEN", TOKEN);
        Process check = config.start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "docker compose config did not finish");
        assertEquals(0, check.exitValue(), output);
    }

    /** @return true when the environment configures the app as given; false when it differs or is refused */
    private static boolean readsTheSame(Map<String, String> environment, AppConfig config) {
        try {
            return AppConfig.from(environment).equals(config);
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    private JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(root.resolve("compose.yaml").toFile());
    }

    private List<String> dockerfile() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder continued = new StringBuilder();
        for (String line : Files.readAllLines(root.resolve("Dockerfile"), StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.isEmpty()) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                continued.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            lines.add(continued.append(stripped).toString().replaceAll("\\s+", " "));
            continued.setLength(0);
        }
        return lines;
    }

    private String shadedJarName() throws IOException {
        String pom = Files.readString(root.resolve("adapters/pom.xml"));
        Matcher name = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertTrue(name.find(), "the adapters POM names no shaded jar");
        return name.group(1);
    }

    /** The service's environment as compose passes it, {@code HEXBUS_ADMIN_TOKEN} set in the caller's. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> caller = Map.of("HEXBUS_ADMIN_TOKEN", TOKEN);
        Map<String, String> environment = new LinkedHashMap<>();
        service.path("environment").properties().forEach(entry -> {
            String value = entry.getValue().asText();
            Matcher variable = INTERPOLATION.matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (variable.find()) {
                String given = caller.get(variable.group(1));
                String fallback = "-".equals(variable.group(2)) || ":-".equals(variable.group(2))
                        ? variable.group(3) : "";
                variable.appendReplacement(resolved, Matcher.quoteReplacement(given != null ? given : fallback));
            }
            variable.appendTail(resolved);
            environment.put(entry.getKey(), resolved.toString());
        });
        assertFalse(environment.isEmpty(), "no environment in " + service);
        return environment;
    }

    private static List<String> sorted(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        list.sort(null);
        return list;
    }
}
