package io.hexbus.outbox.faults;

import io.hexbus.redis.testing.RedisServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, which the test may stop and start again: a data directory in a temporary
 * directory, a free port on the loopback interface, trust authentication, run with the machine's {@code initdb} and
 * {@code pg_ctl} ({@code pg_config --bindir}, else {@code /usr/lib/postgresql/<version>/bin}). PostgreSQL refuses to
 * run as root: as root, the server runs as the {@code postgres} user through {@code runuser}. Never skipped: without
 * the binaries, or as root without a {@code postgres} user, {@link #start} fails saying how to get them.
 *
 * <p>The server is not a child of the test's JVM ({@code pg_ctl} detaches it): {@link #close} stops it whatever
 * happened, and a shutdown hook does if the JVM ends first. Not thread-safe: the test's thread drives it.
 */
final class PrivatePostgres implements AutoCloseable {

    private static final String HOW_TO_GET_POSTGRES = "this test starts, stops and restarts a PostgreSQL of its own"
            + " and needs the server's binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install"
            + " postgresql@15) and, when run as root, a 'postgres' user to run them as (the Debian package creates one;"
            + " else useradd postgres)";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final int port;
    private final boolean asRoot;
    private final Thread stopAtExit;
    private boolean running;

    private PrivatePostgres(Path bin, Path directory, int port, boolean asRoot) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
        this.asRoot = asRoot;
        this.stopAtExit = new Thread(() -> pgCtlQuietly("immediate"), "stop-private-postgres");
    }

    /**
     * Creates a data directory and starts the server on it.
     *
     * @return the running server; close it when done
     * @throws IllegalStateException if it cannot be had, saying how
     */
    static PrivatePostgres start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no initdb and pg_ctl found (pg_config"
                + " --bindir, /usr/lib/postgresql/*/bin): " + HOW_TO_GET_POSTGRES));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        PrivatePostgres server;
        try {
            Path directory = Files.createTempDirectory("hexbus-postgres-");
            server = new PrivatePostgres(bin, directory, RedisServerProcess.freePort(), asRoot);
            if (asRoot) {
                UserPrincipal postgres;
                try {
                    postgres = directory.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
                } catch (IOException e) {
                    throw new IllegalStateException("running as root, and there is no 'postgres' user to run"
                            + " PostgreSQL as: " + HOW_TO_GET_POSTGRES, e);
                }
                Files.setOwner(directory, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for a private PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        try {
            server.run("initdb", "-D", server.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--no-sync");
            server.start("first start");
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** @return the JDBC URL of its {@code postgres} database, as user {@code postgres} */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /**
     * Creates a database on it.
     *
     * @param name the database's name, a plain lower-case identifier
     * @return its JDBC URL, as user {@code postgres}
     * @throws SQLException if it cannot be created
     */
    String createDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl()); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    /**
     * Stops the server and waits until it is down.
     *
     * @param mode {@code fast} (connections cut, a clean shutdown) or {@code immediate} (as a crash: recovery at the
     *             next start)
     */
    void stop(String mode) {
        run("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "stop");
        running = false;
    }

    /** Starts it again, on the same port and data, and waits until it accepts connections. */
    void restart() {
        start("restart");
    }

    private void start(String why) {
        run("pg_ctl", "-D", data.toString(), "-l", directory.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + directory + " -c fsync=off", "start");
        running = true;
    }

    private void run(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Path output = directory.resolve(program + ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + COMMAND_TIMEOUT + ": "
                        + read(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                        + "): " + read(output) + read(directory.resolve("server.log")) + "; " + HOW_TO_GET_POSTGRES);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program + ": " + e.getMessage() + "; "
                    + HOW_TO_GET_POSTGRES, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + program + " ran", e);
        }
    }

    private void pgCtlQuietly(String mode) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "stop");
            } catch (RuntimeException e) {
                // at exit, or the server already gone: nothing more to do
            }
        }
    }

    /** Stops the server (immediate) if it runs, and deletes its directory. */
    @Override
    public void close() {
        if (running || Files.exists(data.resolve("postmaster.pid"))) {
            run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            running = false;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down: the hook runs anyway, and finds the server stopped
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a directory under the system's temporary files: left behind, not a failure of the test
        }
    }

    private static Optional<Path> binaries() {
        try {
            Process config = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(config.getInputStream().readAllBytes()).trim();
            if (config.waitFor() == 0 && Files.isExecutable(Path.of(out, "pg_ctl"))) {
                return Optional.of(Path.of(out));
            }
        } catch (IOException e) {
            // no pg_config on the PATH: look where Debian puts the server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve(
                    "pg_ctl"))).max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public String toString() {
        return "PrivatePostgres[127.0.0.1:" + port + ", " + data + "]";
    }
}
