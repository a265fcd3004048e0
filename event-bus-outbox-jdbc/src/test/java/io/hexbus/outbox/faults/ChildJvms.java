package io.hexbus.outbox.faults;

import io.hexbus.api.testing.ChildProcesses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JVMs on the test class path that a test starts and kills, through {@link ChildProcesses}: {@link #close} stops every
 * one still running and fails the test if one outlives it. A JVM's output goes to a file next to the test's log.
 */
final class ChildJvms implements AutoCloseable {

    private final ChildProcesses children = new ChildProcesses();

    /**
     * Starts {@link AppProcess} and waits until it prints READY.
     *
     * @param log  where its output goes
     * @param args its arguments
     * @return the process
     */
    Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:off", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", System.getProperty("java.class.path"),
                AppProcess.class.getName()));
        command.addAll(List.of(args));
        Process process = children.start(new ProcessBuilder(command).redirectErrorStream(true));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals(AppProcess.READY)) {
            append(log, line);
        }
        if (line == null) {
            throw new AssertionError("the child JVM exited before it was ready: " + Files.readString(log));
        }
        Thread drain = new Thread(() -> {
            try {
                String rest;
                while ((rest = out.readLine()) != null) {
                    append(log, rest);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "child-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /** Kills it (SIGKILL), as a crash would, and waits until it is gone. */
    void kill(Process process) {
        children.kill(process);
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
