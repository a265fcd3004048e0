package io.hexbus.api.testing.faults;

import io.hexbus.api.handling.DomainEventsProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Where the fault tests' handlers record their runs: a line when a subscription's handler starts on an event and one
 * when it ends, {@code start|end <subscription> <event id> <epoch ms>}, appended to a file with one write each. What
 * a JVM wrote before it was killed is in the file whole (the kernel has it), so a run cut short by SIGKILL shows as a
 * start without an end. {@link Runs#read} reads the files back.
 *
 * <p>Thread-safe: each line is one write to a file opened for appending.
 */
public final class RunLog implements AutoCloseable {

    /** The subscriptions {@link #register} registers, in order: each event's round runs them one after the other. */
    public static final List<String> SUBSCRIPTIONS = List.of("ship", "bill");

    private final FileChannel file;

    private RunLog(FileChannel file) {
        this.file = file;
    }

    /**
     * @param path the file, created if missing, appended to
     * @return the log
     * @throws UncheckedIOException if it cannot be opened
     */
    public static RunLog open(Path path) {
        try {
            return new RunLog(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the run log " + path, e);
        }
    }

    /**
     * Registers {@link #SUBSCRIPTIONS} on {@link ParcelSent}: each records its start, works for {@code work} (the
     * handler's own work, which a kill or a revocation may cut short), then records its end.
     *
     * @param processor where to register
     * @param work      how long each handler works
     */
    public void register(DomainEventsProcessor processor, Duration work) {
        for (String subscription : SUBSCRIPTIONS) {
            processor.register(ParcelSent.class, subscription, (ParcelSent e) -> {
                write("start", subscription, e.eventId());
                if (!work.isZero()) {
                    Thread.sleep(work.toMillis()); // the work itself
                }
                write("end", subscription, e.eventId());
            });
        }
    }

    private void write(String what, String subscription, UUID id) {
        byte[] line = (what + " " + subscription + " " + id + " " + System.currentTimeMillis() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run log", e);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
