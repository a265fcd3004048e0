package io.hexbus.api.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The log file of one test (or test class), as the stream that {@code System.out} and {@code System.err} become. */
final class LogStream extends PrintStream {

    /** How many lines of a failed test's log its failure quotes. */
    static final int TAIL_LINES = 40;
    private static final int TAIL_BYTES = 16 * 1024;

    private final Path file;
    private final Set<String> siblings = new HashSet<>(); // guarded by this

    private LogStream(Path file) throws IOException {
        super(new BufferedOutputStream(Files.newOutputStream(file)), true, StandardCharsets.UTF_8);
        this.file = file;
    }

    /**
     * @param file  the file, created or emptied
     * @param title what the log is of, its first line
     */
    static LogStream create(Path file, String title) throws IOException {
        Files.createDirectories(file.getParent());
        LogStream log = new LogStream(file);
        log.println("== " + title + " (" + LocalDateTime.now() + ")");
        return log;
    }

    /** @return the file, absolute */
    Path file() {
        return file.toAbsolutePath();
    }

    /** An empty file next to this log, for another process's output: {@code <stem>.<name>.log}, numbered if taken. */
    synchronized Path sibling(String name) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.log$", "");
        String unique = name;
        for (int n = 2; !siblings.add(unique); n++) {
            unique = name + "-" + n;
        }
        Path sibling = file.resolveSibling(stem + "." + unique + ".log");
        Files.deleteIfExists(sibling);
        return Files.createFile(sibling).toAbsolutePath();
    }

    /** @return the last {@value #TAIL_LINES} lines written so far after the title (at most the last 16 KiB) */
    List<String> tail() {
        flush();
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long start = Math.max(0, channel.size() - TAIL_BYTES);
            ByteBuffer bytes = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // read to the end
            }
            List<String> lines = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).lines()
                    .toList();
            if (!lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // cut in the middle, or the title
            }
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read the log: " + e + ")");
        }
    }
}
