package io.hexbus.app;

import io.hexbus.api.testing.ChildProcesses;
import io.hexbus.api.testing.TestLogs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A main class of this module run as a child JVM on the test classpath, with an environment of the test's
 * choosing (none of the runner's hexbus, Redis or SMTP variables leak in). Its output (stdout and stderr) goes to
 * a file next to the test's log ({@link TestLogs#file}), kept, not a pipe: {@link Process#destroy()} closes the
 * pipes, which would lose what the child logs while it shuts down. Closing it stops the child with any process it
 * started, and fails if one of them would not stop.
 */
final class ChildApp implements AutoCloseable {

    private final ChildProcesses children;
    private final Process process;
    private final Path output;

    private ChildApp(ChildProcesses children, Process process, Path output) {
        this.children = children;
        this.process = process;
        this.output = output;
    }

    /**
     * @param main        the main class
     * @param environment the variables to set
     * @return the running child
     * @throws IOException if it cannot start
     */
    static ChildApp start(Class<?> main, Map<String, String> environment) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path output = TestLogs.file(main.getSimpleName());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, main.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // DATABASE_URL too: set for the tests' PostgreSQL (TestPostgres), it would put a child app on the outbox.
        builder.environment().keySet().removeIf(name -> name.startsWith("HEXBUS_") || name.startsWith("REDIS_")
                || name.startsWith("SMTP_") || name.equals("MAIL_FROM") || name.equals("USE_QUEUE_EVENT_BUS")
                || name.equals("DATABASE_URL"));
        builder.environment().putAll(environment);
        ChildProcesses children = new ChildProcesses(Duration.ZERO); // a test that wants a graceful stop sends SIGTERM
        return new ChildApp(children, children.start(builder), output);
    }

    /**
     * @param text     what a line must contain
     * @param atMost   how long to wait
     * @return the index of the first line containing it
     */
    int awaitLine(String text, Duration atMost) {
        await().atMost(atMost).until(() -> indexOf(text) >= 0 || !process.isAlive());
        int index = indexOf(text);
        if (index < 0) {
            fail("the child exited without a line containing '" + text + "':\n" + output());
        }
        return index;
    }

    /**
     * @param text what a line must contain
     * @return the index of the first line containing it, or -1
     */
    int indexOf(String text) {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** Sends SIGTERM, as {@code kill} or a container runtime would. */
    void sigterm() {
        process.destroy();
    }

    /**
     * @param atMost how long to wait
     * @return the exit code
     * @throws InterruptedException if interrupted
     */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            children.kill(process);
            fail("the child did not exit within " + atMost + ":\n" + output());
        }
        return process.exitValue();
    }

    /** @return every line so far */
    List<String> lines() {
        try {
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every line so far, joined, for failure messages */
    String output() {
        return String.join("\n", lines());
    }

    /** Kills the child, if it still runs, with what it started; keeps its output. */
    @Override
    public void close() {
        children.close();
    }
}
