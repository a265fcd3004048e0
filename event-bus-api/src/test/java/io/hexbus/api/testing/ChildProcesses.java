package io.hexbus.api.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The processes a test starts, each stopped as a whole tree: a wrapper such as {@code faketime} or a shell runs
 * the real program as its child, and stopping the wrapper alone leaves that child running, reparented away from
 * this JVM, where nothing would ever stop it. Stopping a tree signals the descendants first (deepest first), then
 * the process, waits for every one to exit and kills (SIGKILL) what is still running after a grace period.
 *
 * <p>Close it when the test ends ({@code @AfterEach} or try-with-resources): it stops what still runs, and fails
 * (an {@link AssertionError}) if a process it saw had outlived its parent, or if one survives even SIGKILL. It can
 * see a descendant only while its parent lives: call {@link #recordTree} once a process has started its children
 * (when it reports that it is ready), and stop processes through {@link #stop} or {@link #kill}, never
 * {@link Process#destroy()}, which stops the parent only. Used from the test's thread only.
 */
public final class ChildProcesses implements AutoCloseable {

    /** How long a stopped process may take to exit before it is killed, unless told otherwise. */
    public static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration KILLED = Duration.ofSeconds(10);

    private final Duration grace;

    /** Each process started here, with every descendant recorded while it was alive; each with its description. */
    private final Map<ProcessHandle, Map<ProcessHandle, String>> trees = new LinkedHashMap<>();
    private final Map<ProcessHandle, String> roots = new LinkedHashMap<>();

    /** With the default {@link #GRACE}. */
    public ChildProcesses() {
        this(GRACE);
    }

    /**
     * @param grace how long a stopped process may take to exit before it is killed
     */
    public ChildProcesses(Duration grace) {
        this.grace = grace;
    }

    /**
     * Starts a process and takes charge of it.
     *
     * @param builder what to start
     * @return the process
     * @throws IOException if it cannot start
     */
    public Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        roots.put(process.toHandle(), describe(process.toHandle()));
        trees.put(process.toHandle(), new LinkedHashMap<>());
        recordTree(process);
        return process;
    }

    /**
     * Records the descendants a process has now, so that they are stopped, and an orphan among them is reported,
     * even once the process itself has gone.
     *
     * @param process a process started here
     */
    public void recordTree(Process process) {
        record(process.toHandle(), treeOf(process));
    }

    private static void record(ProcessHandle root, Map<ProcessHandle, String> known) {
        root.descendants().forEach(descendant -> known.computeIfAbsent(descendant, ChildProcesses::describe));
    }

    /**
     * Stops a process and its descendants (SIGTERM), killing what still runs after the grace period, and waits until
     * every one of them has exited.
     *
     * @param process a process started here
     * @throws AssertionError if one of them survives even SIGKILL
     */
    public void stop(Process process) {
        recordTree(process);
        assertGone(stopTree(process.toHandle(), treeOf(process).keySet(), grace));
    }

    /**
     * Kills a process and its descendants (SIGKILL), as a crash would, and waits until every one has exited.
     *
     * @param process a process started here
     * @throws AssertionError if one of them survives
     */
    public void kill(Process process) {
        recordTree(process);
        assertGone(stopTree(process.toHandle(), treeOf(process).keySet(), Duration.ZERO));
    }

    /**
     * Stops every process started here that still runs, with its descendants.
     *
     * @throws AssertionError if a process had outlived its parent (it was stopped, not through this class) or
     *                        survives even SIGKILL
     */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<ProcessHandle, Map<ProcessHandle, String>> tree : trees.entrySet()) {
            ProcessHandle root = tree.getKey();
            Map<ProcessHandle, String> descendants = tree.getValue();
            record(root, descendants);
            if (!root.isAlive()) {
                descendants.forEach((orphan, description) -> {
                    if (orphan.isAlive()) {
                        // Described again: when it was recorded it may not yet have run its program (a fork
                        // describes as its shell until it execs).
                        problems.add(describe(orphan) + " outlived its parent " + roots.get(root)
                                + ": stop whole trees (ChildProcesses.stop or kill), not Process.destroy");
                    }
                });
            }
            stopTree(root, descendants.keySet(), grace).forEach(survivor -> problems.add(
                    descendants.getOrDefault(survivor, roots.get(root)) + " still runs after SIGKILL"));
        }
        trees.clear();
        roots.clear();
        if (!problems.isEmpty()) {
            throw new AssertionError("child processes outlived the test:\n  " + String.join("\n  ", problems));
        }
    }

    private Map<ProcessHandle, String> treeOf(Process process) {
        Map<ProcessHandle, String> known = trees.get(process.toHandle());
        if (known == null) {
            throw new IllegalArgumentException("not started by this ChildProcesses: pid " + process.pid());
        }
        return known;
    }

    /**
     * Signals the descendants, deepest first, then the root: SIGTERM, and SIGKILL to what still runs after the
     * grace period; or SIGKILL at once when the grace period is zero. Waits until all have exited.
     *
     * @return those still running after SIGKILL
     */
    private static List<ProcessHandle> stopTree(ProcessHandle root, Collection<ProcessHandle> descendants,
            Duration grace) {
        List<ProcessHandle> order = descendants.stream().filter(ProcessHandle::isAlive)
                .sorted(Comparator.comparingInt(ChildProcesses::depth).reversed()).collect(Collectors.toList());
        order.add(root);
        List<ProcessHandle> running = order;
        if (!grace.isZero()) {
            order.forEach(ProcessHandle::destroy);
            running = awaitExit(order, grace);
        }
        running.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(running, KILLED);
    }

    /** @return those still running after {@code atMost} */
    private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<ProcessHandle> running = new ArrayList<>();
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillRunning) {
                running.add(process);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot wait for " + describe(process), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.add(process);
            }
        }
        return running;
    }

    private static int depth(ProcessHandle process) {
        int depth = 0;
        for (Optional<ProcessHandle> parent = process.parent(); parent.isPresent(); parent = parent.get().parent()) {
            depth++;
        }
        return depth;
    }

    private static void assertGone(List<ProcessHandle> survivors) {
        if (!survivors.isEmpty()) {
            throw new AssertionError("still running after SIGKILL: " + survivors.stream().map(ChildProcesses::describe)
                    .collect(Collectors.joining(", ")));
        }
    }

    /** The program and its arguments, without a Java class path (which is long and says nothing). */
    private static String describe(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        List<String> words = new ArrayList<>();
        info.command().ifPresent(command -> words.add(Path.of(command).getFileName().toString()));
        String[] arguments = info.arguments().orElse(new String[0]);
        boolean classPath = false;
        for (String argument : arguments) {
            words.add(classPath ? "…" : argument);
            classPath = argument.equals("-cp") || argument.equals("-classpath");
        }
        return "pid " + process.pid() + " (" + (words.isEmpty() ? "?" : String.join(" ", words)) + ")";
    }
}
