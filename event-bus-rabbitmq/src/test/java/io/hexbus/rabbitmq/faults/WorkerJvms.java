package io.hexbus.rabbitmq.faults;

import io.hexbus.api.testing.ChildProcesses;

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
 * The worker JVMs ({@link WorkerMain}) of a fault test, started on the test's class path, each with its output in a
 * file of its own, held by a {@link ChildProcesses}: {@link #close} stops what still runs and fails if one outlived
 * the test. Used from the test's thread only.
 */
final class WorkerJvms implements AutoCloseable {

    private final ChildProcesses children = new ChildProcesses();

    /**
     * Starts a worker JVM and waits until it prints {@code READY}.
     *
     * @param log  where its output goes
     * @param args {@link WorkerMain}'s arguments
     * @return the running JVM
     * @throws IOException    if it cannot start
     * @throws AssertionError if it exits before it is ready, quoting its log
     */
    Process start(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        command.addAll(args);
        Process process = children.start(new ProcessBuilder(command).redirectErrorStream(true));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            append(log, line);
        }
        if (line == null) {
            throw new AssertionError("the worker JVM exited before it was ready: " + Files.readString(log));
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
        }, "worker-jvm-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /**
     * Kills a worker JVM (SIGKILL) and waits until it is gone.
     *
     * @param process a JVM started here
     */
    void kill(Process process) {
        children.kill(process);
    }

    private static void append(Path log, String line) throws IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void close() {
        children.close();
    }
}
