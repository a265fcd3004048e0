package io.hexbus.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * BullMQ, the Redis peer of issue 20, measured by {@code benchmarks/peers/bullmq/bench.mjs} (Node.js) against the
 * same Redis in the same run as {@link RedisHarness}: with {@code bullmq} in {@code -Dbench.parts} the harness runs it
 * last, with its own key prefix under the harness's, the harness's event envelope as job data and the harness's run
 * count, scale and end-to-end count; its figures join the harness's table and JSON, next to hexbus's. Alone:
 * {@code java -cp benchmarks/target/benchmarks.jar io.hexbus.benchmarks.BullMqPeer} (against {@code REDIS_URL}; writes
 * {@code benchmarks/target/bullmq-results.json}).
 *
 * <p>Needs {@code node} (18 or later) and {@code npm} on the {@code PATH} ({@code -Dbench.node}, {@code -Dbench.npm}
 * name others); fails, saying how to get them, when they are absent: the peer is never skipped silently. Runs
 * {@code npm ci} first when {@code node_modules} is missing. The script's directory is {@code -Dbench.bullmqDir},
 * else {@code benchmarks/peers/bullmq} or {@code peers/bullmq} under the working directory.
 */
final class BullMqPeer {

    /** The parts of bench.mjs ({@code -Dbench.bullmqParts} picks fewer). */
    static final String PARTS = System.getProperty("bench.bullmqParts", "add,addBulk,e2e,latency,memory");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** BullMQ's figure (its key in bench.mjs's output), the start of the name of the raw ceiling it is set against. */
    private static final Map<String, String> CEILINGS = Map.of(
            "add", "raw EVALSHA SET NX + XADD, one by one (sync)",
            "addBulk", "raw EVALSHA SET NX + XADD x100 per call (sync)",
            "e2e", "raw end to end beside 1 × 4,");

    /** BullMQ's figure, the start of the name of hexbus's figure it compares with. */
    private static final Map<String, String> HEXBUS = Map.of(
            "add", "hexbus publish, one by one",
            "addBulk", "hexbus publishAll, batches of 100",
            "e2e", "end to end, 1 worker process × 4 slots",
            "latency_p50", "latency p50",
            "latency_p99", "latency p99",
            "latency_p999", "latency p99.9",
            "latency_max", "latency max");

    private BullMqPeer() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getenv().getOrDefault("REDIS_URL", "");
        if (url.isBlank()) {
            url = "redis://127.0.0.1:6379";
        }
        Figures figures = new Figures(RedisHarness.RUNS, null);
        measureInto(figures, url, "bullmq-bench:{" + UUID.randomUUID() + "}", null,
                Integer.getInteger("bench.e2e", RedisHarness.scaled(100_000)));
        figures.report("\"redis\": \"" + url.replaceAll("//[^@/]*@", "//***@") + "\",\n  \"scale\": "
                + RedisHarness.SCALE, "bullmq-results.json");
    }

    /**
     * Runs bench.mjs and adds its figures to {@code figures} (each with its raw ceiling of the same run), its details
     * and its comparison with hexbus's figures already there to {@code figures.extra} under {@code "bullmq"}.
     *
     * @param url     the Redis, the harness's
     * @param prefix  the peer's key prefix, every key under it is deleted at the end
     * @param payload the job data, a JSON object (the harness's envelope); {@code null} for bench.mjs's copy of it
     * @param e2e     jobs per end-to-end run
     * @throws IllegalStateException if node or npm is missing, {@code npm ci} fails or bench.mjs fails
     */
    static void measureInto(Figures figures, String url, String prefix, String payload, int e2e) throws Exception {
        Path dir = directory();
        String node = System.getProperty("bench.node", "node");
        String nodeVersion = version(node, "Node.js 18 or later");
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("bullmq"))) {
            version(System.getProperty("bench.npm", "npm"), "npm (it comes with Node.js)");
            System.out.println("BullMQ peer: node_modules missing, running npm ci in " + dir);
            Process ci = new ProcessBuilder(System.getProperty("bench.npm", "npm"), "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile()).inheritIO().start();
            if (ci.waitFor() != 0) {
                throw new IllegalStateException("npm ci failed in " + dir + " (exit " + ci.exitValue()
                        + "): the npm registry must be reachable once");
            }
        }
        List<String> command = new ArrayList<>(List.of(node, "bench.mjs", "--prefix=" + prefix, "--parts=" + PARTS,
                "--runs=" + figures.runs, "--scale=" + RedisHarness.SCALE, "--e2e=" + e2e));
        System.out.printf(Locale.ROOT, "%nBullMQ peer (node %s): %s%n", nodeVersion, String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT); // its progress, as the harness's own lines
        builder.environment().put("REDIS_URL", url);
        if (payload != null) {
            builder.environment().put("BENCH_PAYLOAD", payload);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroy();
            throw new IllegalStateException("bench.mjs did not finish within 60 minutes");
        }
        String stdout = out.get();
        if (process.exitValue() != 0) {
            throw new IllegalStateException("bench.mjs failed (exit " + process.exitValue() + "); its output: "
                    + stdout);
        }
        addTo(figures, JSON.readTree(stdout));
    }

    private static void addTo(Figures figures, JsonNode result) {
        Map<String, Figures.Figure> hexbus = new LinkedHashMap<>();
        for (Figures.Figure f : figures.all) {
            HEXBUS.forEach((key, start) -> {
                if (f.name().startsWith(start) && !hexbus.containsKey(key)) {
                    hexbus.put(key, f);
                }
            });
        }
        Map<String, Object> comparison = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder("BullMQ against hexbus, same run (medians; BullMQ / hexbus):\n");
        for (JsonNode f : result.get("figures")) {
            String key = f.get("key").asText();
            double[] runs = new double[f.get("runs").size()];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = f.get("runs").get(i).asDouble();
            }
            String note = f.get("note").asText().replace('"', '\''); // Figures writes notes into JSON as they are
            Figures.Figure figure = new Figures.Figure(f.get("name").asText(), f.get("unit").asText(), runs,
                    ceilingOf(figures, key), null, note);
            figures.add(figure);
            Figures.Figure other = hexbus.get(key);
            double otherMedian = other != null ? other.median() : key.equals("memory200") ? hexbusMemoryPerEvent(figures)
                    : Double.NaN;
            if (!Double.isNaN(otherMedian)) {
                double ratio = figure.median() / otherMedian;
                comparison.put(key, Map.of("bullmq", figure.median(), "hexbus", otherMedian, "bullmqOverHexbus", ratio));
                lines.append(String.format(Locale.ROOT, "  %-62s %12.3f vs hexbus %12.3f %-9s  %.3f (1/%.2f)%n",
                        figure.name(), figure.median(), otherMedian, figure.unit(), ratio, 1 / ratio));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        for (String field : List.of("bullmq", "ioredis", "node", "prefix", "payloadBytes", "warmUp")) {
            extra.put(field, result.get(field).asText());
        }
        extra.put("jobOptions", plain(result.get("jobOptions")));
        result.get("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), plain(e.getValue())));
        extra.put("againstHexbus", comparison);
        figures.extra.put("bullmq", extra);
        System.out.print(lines);
    }

    /**
     * A JSON value as {@link Figures#toJson} writes it: objects as maps, numbers as numbers, anything else as a string
     * without quotes or backslashes (Figures writes strings as they are).
     */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return (node.isTextual() ? node.asText() : node.toString()).replace('"', '\'').replace('\\', '/');
    }

    /** hexbus's used_memory per waiting event (a 200-byte payload), from the memory part of this run; NaN without it. */
    private static double hexbusMemoryPerEvent(Figures figures) {
        // RedisMemory's summary: memory.hexbus.usedMemoryPerEvent.median (bytes per waiting event).
        if (figures.extra.get("memory") instanceof Map<?, ?> memory
                && memory.get("hexbus") instanceof Map<?, ?> hexbus
                && hexbus.get("usedMemoryPerEvent") instanceof Map<?, ?> perEvent
                && perEvent.get("median") instanceof Number median) {
            return median.doubleValue();
        }
        return Double.NaN;
    }

    /** The full name of the harness's figure of this run that {@link #CEILINGS} names by its start, if any. */
    private static String ceilingOf(Figures figures, String key) {
        String start = CEILINGS.get(key);
        return start == null ? null : figures.all.stream().map(Figures.Figure::name).filter(n -> n.startsWith(start))
                .findFirst().orElse(null);
    }

    private static Path directory() {
        String configured = System.getProperty("bench.bullmqDir");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("benchmarks", "peers", "bullmq"), Path.of("peers", "bullmq"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("bench.mjs"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("BullMQ peer: no bench.mjs in " + candidates + " under "
                + Path.of("").toAbsolutePath() + "; run from the repository's root or set -Dbench.bullmqDir");
    }

    /** The tool's {@code --version}; fails saying how to get it when it cannot run. */
    private static String version(String tool, String what) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String v = readAll(p.getInputStream()).trim();
            if (p.waitFor() == 0) {
                return v;
            }
            throw new IllegalStateException("BullMQ peer: `" + tool + " --version` failed: " + v);
        } catch (IOException e) {
            throw new IllegalStateException("BullMQ peer: `" + tool + "` not found. Install " + what
                    + " (https://nodejs.org/en/download, or a package manager: apt-get install nodejs npm), or name it"
                    + " with -Dbench.node / -Dbench.npm, or leave `bullmq` out of -Dbench.parts", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
