package io.hexbus.api.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVMs a fault test starts on its own class path (a worker, an app that crashes), held by a
 * {@link ChildProcesses}: {@link #close} stops what still runs and fails the test if one outlived it. A JVM's output
 * goes to a file of its own, next to the test's log, so a green run stays quiet. Used from the test's thread only.
 *
 * <p>A child's main prints {@link #READY} on a line of its own once it is up; {@link #start} returns then, so a test
 * never acts on a JVM still starting.
 */
public final class ChildJvms implements AutoCloseable {

    /** The line a child prints once it is ready. */
    public static final String READY = "READY";

    private final ChildProcesses children = new ChildProcesses();

    /**
     * Starts {@code main} in a JVM and waits until it prints {@link #READY}.
     *
     * @param log        where its output goes
     * @param jvmOptions options before the class path, such as {@code -Xmx256m}
     * @param main       the class whose main runs
     * @param args       its arguments
     * @return the running JVM
     * @throws IOException    if it cannot start
     * @throws AssertionError if it exits before it is ready, quoting its log
     */
    public Process start(Path log, List<String> jvmOptions, Class<?> main, List<String> args) throws IOException {
        return startWrapped(List.of(), log, jvmOptions, main, args);
    }

    /**
     * As {@link #start}, with the JVM run by a wrapper command (such as {@code faketime}); once it is ready, the
     * whole process tree is recorded, so stopping it reaches the JVM under the wrapper too.
     *
     * @param wrapper    the wrapper command and its arguments, before {@code java}
     * @param log        where its output goes
     * @param jvmOptions options before the class path
     * @param main       the class whose main runs
     * @param args       its arguments
     * @return the wrapper's process
     * @throws IOException    if it cannot start
     * @throws AssertionError if it exits before it is ready, quoting its log
     */
    public Process startWrapped(List<String> wrapper, Path log, List<String> jvmOptions, Class<?> main,
                                List<String> args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        Process process = children.start(new ProcessBuilder(command).redirectErrorStream(true));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals(READY)) {
            append(log, line);
        }
        if (line == null) {
            throw new AssertionError("the child JVM " + main.getSimpleName() + " exited before it was ready: "
                    + Files.readString(log));
        }
        if (!wrapper.isEmpty()) {
            children.recordTree(process);
        }
        Thread drain = new Thread(() -> {
            try {
                String rest;
                while ((rest = out.readLine()) != null) {
                    append(log, rest);
                }
            } catch (IOException | UncheckedIOException ended) {
                // the process is gone
            }
        }, "child-jvm-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /**
     * Kills a JVM (SIGKILL), as a crash would, and waits until it is gone.
     *
     * @param process a JVM started here
     */
    public void kill(Process process) {
        children.kill(process);
    }

    /**
     * Stops a JVM gracefully (SIGTERM, then SIGKILL after {@link ChildProcesses#GRACE}) and waits until it is gone.
     *
     * @param process a JVM started here
     */
    public void stop(Process process) {
        children.stop(process);
    }

    private static void append(Path log, String line) throws IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        children.close();
    }
}
