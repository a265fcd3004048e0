package io.hexbus.redis.testing;

import io.hexbus.redis.RedisConnectionSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process of a test's own, on a free port of the loopback interface. Tests that
 * stop, freeze or restart Redis use one of these, never the shared server.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final String executable;
    private final int port;
    private final Path directory;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(String executable, int port, Path directory, List<String> extraArgs) {
        this.executable = executable;
        this.port = port;
        this.directory = directory;
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a server and waits until it accepts connections.
     *
     * @param executable the {@code redis-server} binary
     * @param extraArgs  more configuration, e.g. {@code --appendonly yes}
     * @return the running server
     * @throws IOException if it cannot start
     */
    public static RedisServerProcess start(String executable, String... extraArgs) throws IOException {
        RedisServerProcess server = new RedisServerProcess(executable, freePort(),
                Files.createTempDirectory("hexbus-redis-"), List.of(extraArgs));
        server.startProcess();
        return server;
    }

    /** @return how to connect to it */
    public RedisConnectionSettings connection() {
        return new RedisConnectionSettings("127.0.0.1", port, false, null, null, 0);
    }

    /** @return its port */
    public int port() {
        return port;
    }

    /** @return its process id */
    public long pid() {
        return process.pid();
    }

    /**
     * Stops it (SIGTERM) and waits for it to exit.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * Kills it (SIGKILL), as a crash or a power cut would, with the child it may have forked to save the data set,
     * and waits for them to be gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        killTree();
    }

    /**
     * Starts it again on the same port and directory, so that its persistence files are reloaded.
     *
     * @throws IOException if it cannot start
     */
    public void restart() throws IOException {
        startProcess();
    }

    /** Kills it and any child it forked, waits for them to be gone, and deletes its directory. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                killTree();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // still running, maybe: its files stay
            }
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A directory under the system's temporary files: left behind, not a failure of the test.
        }
    }

    /**
     * SIGKILL to the children first (a fork writing a snapshot or rewriting the AOF would outlive the server),
     * then to the server; waits for each. Self-contained, so that this fixture's test-jar needs no other.
     */
    private void killTree() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("redis-server's child " + child.pid() + " did not exit", e);
            }
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server " + process.pid() + " did not exit after SIGKILL");
        }
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(executable, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--dir", directory.toString(), "--save", "", "--protected-mode", "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at start: " + Files.readString(directory.resolve("redis.log")));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("PING\r\n".getBytes());
                int reply = socket.getInputStream().read();
                if (reply == '+' || reply == '-') { // PONG, or NOAUTH when a password is required: it is up
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(10); // poll interval while the server starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while redis-server started", e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer PING within 20 s");
    }

    /**
     * @return a port no one listens on now
     * @throws IOException if none can be found
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
