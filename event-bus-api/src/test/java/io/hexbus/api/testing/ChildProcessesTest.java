package io.hexbus.api.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChildProcesses} on a shell that runs {@code sleep} as its child, the shape of {@code faketime} running a
 * worker JVM.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChildProcessesTest {

    private static final String TREE = "sleep 600 & echo $!; wait";

    /** Starts the shell and returns its child, once the shell has said which it is. */
    private static ProcessHandle childOf(ChildProcesses children, Process shell) throws IOException {
        String pid = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        ProcessHandle child = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        children.recordTree(shell);
        return child;
    }

    private static void awaitGone(ProcessHandle process) throws Exception {
        process.onExit().get(60, TimeUnit.SECONDS);
    }

    @Test
    void stoppingAProcessStopsItsChildrenToo() throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            Process shell = children.start(new ProcessBuilder("sh", "-c", TREE));
            ProcessHandle sleeper = childOf(children, shell);

            children.stop(shell);

            assertFalse(sleeper.isAlive(), "the child was stopped");
            assertFalse(shell.isAlive());
        }
    }

    @Test
    void killingAProcessKillsItsChildrenToo() throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            Process shell = children.start(new ProcessBuilder("sh", "-c", TREE));
            ProcessHandle sleeper = childOf(children, shell);

            children.kill(shell);

            assertFalse(sleeper.isAlive(), "the child was killed");
            assertFalse(shell.isAlive());
        }
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        try (ChildProcesses children = new ChildProcesses(Duration.ofMillis(100))) {
            // An ignored signal stays ignored across exec: neither the shell nor its child stops on SIGTERM.
            Process shell = children.start(new ProcessBuilder("sh", "-c", "trap '' TERM; " + TREE));
            ProcessHandle sleeper = childOf(children, shell);

            children.stop(shell);

            assertFalse(sleeper.isAlive());
            assertFalse(shell.isAlive());
        }
    }

    @Test
    void closingStopsWhatStillRunsWithoutComplaint() throws Exception {
        ChildProcesses children = new ChildProcesses();
        Process shell = children.start(new ProcessBuilder("sh", "-c", TREE));
        ProcessHandle sleeper = childOf(children, shell);

        children.close();

        assertFalse(sleeper.isAlive());
        assertFalse(shell.isAlive());
    }

    @Test
    void aChildThatOutlivedItsParentFailsTheTestAndIsStopped() throws Exception {
        ChildProcesses children = new ChildProcesses();
        Process shell = children.start(new ProcessBuilder("sh", "-c", TREE));
        ProcessHandle sleeper = childOf(children, shell);
        try {
            shell.destroyForcibly().waitFor(); // the parent only, as the clock-skew test once stopped faketime
            assertTrue(sleeper.isAlive(), "orphaned, and no longer a descendant of this JVM");

            AssertionError leak = assertThrows(AssertionError.class, children::close);

            assertTrue(leak.getMessage().contains("pid " + sleeper.pid() + " (sleep 600) outlived its parent pid "
                    + shell.pid() + " ("), leak.getMessage());
            awaitGone(sleeper);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aProcessStartedElsewhereIsRefused() throws Exception {
        Process elsewhere = new ProcessBuilder("sh", "-c", "exit 0").start();
        try (ChildProcesses children = new ChildProcesses()) {
            assertThrows(IllegalArgumentException.class, () -> children.stop(elsewhere));
        } finally {
            elsewhere.waitFor();
        }
    }
}
