package io.hexbus.redis;

import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the loggers write while it is open: the tests' SLF4J binding (slf4j-simple) writes to
 * {@code System.err} as it is at each call, so this tees {@code System.err} into a buffer, and restores it
 * when closed. Lettuce logs through SLF4J too.
 */
final class LogLines implements AutoCloseable {

    private static final String PROBE = "log capture started";

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private LogLines() {
        System.setErr(new PrintStream(new Tee(original, buffer), true, StandardCharsets.UTF_8));
    }

    /**
     * Starts capturing, and checks that the logging binding really writes into the capture: a test that
     * asserts the absence of a line would otherwise pass without seeing any.
     */
    static LogLines capture() {
        LogLines lines = new LogLines();
        LoggerFactory.getLogger(LogLines.class).info(PROBE);
        if (lines.containing(PROBE).isEmpty()) {
            lines.close();
            throw new IllegalStateException("the log lines do not reach System.err: nothing would be captured");
        }
        return lines;
    }

    /** @return the lines written so far */
    List<String> lines() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** @return the lines written so far that contain {@code text} */
    List<String> containing(String text) {
        return lines().stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (second) {
                second.write(bytes, offset, length);
            }
            try {
                first.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
