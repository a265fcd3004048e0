package io.hexbus.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs of a harness's end-to-end figures ({@link BenchWorker}, {@link KafkaBenchWorker},
 * {@link RabbitBenchWorker}), each started with this JVM's class path and waited for until it prints {@code ready};
 * closing their standard input stops them gracefully. Workers that answer each line of their standard input with one
 * line ({@link RabbitBenchWorker}) are driven with {@link #ask(String)}. {@code -Dbench.workerJvmArgs="…"} adds JVM options ({@code {n}} becomes the worker's number: how
 * profiles are taken). Not thread-safe.
 */
final class WorkerProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<BufferedReader> outputs = new ArrayList<>();
    private final List<Writer> inputs = new ArrayList<>();

    /**
     * @param mainClass the workers' main class
     * @param count     how many
     * @param args      each worker's arguments
     * @throws IOException           if one cannot start
     * @throws IllegalStateException if one exits before it is ready (the others are stopped)
     */
    WorkerProcesses(Class<?> mainClass, int count, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            for (int i = 0; i < count; i++) {
                List<String> command = new ArrayList<>(List.of(java));
                String jvmArgs = System.getProperty("bench.workerJvmArgs", "").replace("{n}", Integer.toString(i + 1));
                if (!jvmArgs.isBlank()) {
                    command.addAll(List.of(jvmArgs.trim().split("\\s+"))); // e.g. a profiler agent
                }
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
                command.addAll(args);
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                processes.add(process);
                String line;
                var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                outputs.add(out);
                inputs.add(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
                while ((line = out.readLine()) != null && !line.equals("ready")) {
                    // skip anything printed before it is consuming
                }
                if (line == null) {
                    throw new IllegalStateException("worker process " + (i + 1) + " exited before it was ready");
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends a line to every worker, then reads one line from each: a request and its answers, all workers at once.
     * Only for workers that answer every line (the others never do: this would block).
     *
     * @param line the request, without its line break
     * @return each worker's answer, in the workers' order
     * @throws IOException           if a pipe fails
     * @throws IllegalStateException if a worker exited
     */
    List<String> ask(String line) throws IOException {
        for (Writer in : inputs) {
            in.write(line + "\n");
            in.flush();
        }
        List<String> answers = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            String answer = outputs.get(i).readLine();
            if (answer == null) {
                throw new IllegalStateException("worker process " + (i + 1) + " exited (asked '" + line + "')");
            }
            answers.add(answer);
        }
        return answers;
    }

    /** @return the CPU time the workers spent so far, together */
    Duration cpu() {
        return processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** @return the workers' process ids */
    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                process.destroy(); // its standard input is gone already: it stops as it would on the close
            }
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
