package io.hexbus.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Stops a long-running process cleanly on SIGINT or SIGTERM, through a JVM shutdown hook: it closes the
 * transport (its workers stop fetching, let in-flight handlers finish within the shutdown deadline, leave the
 * rest pending for another worker; then the connections close) and ends the process with exit code 0.
 *
 * <p>The JVM reports a process ended by a signal as 128 + the signal's number (143 for SIGTERM) even when
 * every hook ran; the hook therefore ends the process itself with {@link Runtime#halt(int)}, with 0 after a
 * clean stop, or with the code the application asked for through {@link #exit(int)}.
 */
final class GracefulShutdown {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final AutoCloseable transport;
    private final Duration deadline;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode;

    private GracefulShutdown(AutoCloseable transport, Duration deadline) {
        this.transport = transport;
        this.deadline = deadline;
    }

    /**
     * Installs the hook.
     *
     * @param transport what to close at shutdown: its workers stop gracefully, then its connections close
     * @param deadline  how long in-flight handlers may take, for the log
     * @return the installed shutdown
     */
    static GracefulShutdown install(AutoCloseable transport, Duration deadline) {
        GracefulShutdown shutdown = new GracefulShutdown(transport, deadline);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::stop, "hexbus-shutdown"));
        return shutdown;
    }

    /**
     * Blocks the calling thread until the process is stopped by a signal or by {@link #exit(int)}.
     */
    void awaitStop() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the process as a signal would, gracefully, with an exit code of the application's choice.
     *
     * @param code the exit code
     */
    void exit(int code) {
        exitCode = code;
        System.exit(code);
    }

    private void stop() {
        log.info("Shutting down: taking no new events; in-flight handlers get up to {} s to finish",
                deadline.toSeconds());
        int code = exitCode;
        try {
            transport.close();
        } catch (Exception e) {
            log.error("Shutdown failed: {}", e.toString());
            code = code == 0 ? 1 : code;
        }
        log.info("Stopped (exit code {})", code);
        stopped.countDown();
        Runtime.getRuntime().halt(code);
    }
}
