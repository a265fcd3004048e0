package io.hexbus.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU time spent so far by a PostgreSQL server on this machine, read from {@code /proc}: the user and system time
 * of every process whose name is {@code postgres} (the postmaster, its backends and its background workers), plus the
 * time of the backends that already ended, which the kernel adds to the postmaster's children's time when it reaps
 * them. So a connection that closes between two readings is not lost. It counts every database of the server: other
 * clients of it are counted too.
 *
 * <p>Not thread-safe: the harness's thread only.
 */
final class PostgresCpu {

    private final double ticksPerSecond;

    private PostgresCpu(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * @param jdbcUrl the server's JDBC URL
     * @return a reader if the server is on this machine (loopback) and its processes can be read, else null
     */
    static PostgresCpu ifLocal(String jdbcUrl) {
        String host = hostOf(jdbcUrl);
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
        if (!loopback || !Files.isDirectory(Path.of("/proc"))) {
            return null;
        }
        PostgresCpu cpu = new PostgresCpu(clockTicks());
        return cpu.seconds() > 0 ? cpu : null;
    }

    /** The host of {@code jdbc:postgresql://host:port/db?…}, lower case; empty if there is none. */
    static String hostOf(String jdbcUrl) {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String hostPort = rest.substring(0, end);
        int colon = hostPort.lastIndexOf(':');
        String host = colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort;
        return host.toLowerCase(Locale.ROOT);
    }

    /** @return the CPU seconds the server's processes spent so far, ended backends included */
    double seconds() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                ticks += postgresTicks(process.resolve("stat"));
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / ticksPerSecond;
    }

    /** utime + stime + cutime + cstime of a postgres process, 0 for another or one that ended meanwhile. */
    private static long postgresTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || !line.substring(open + 1, close).equals("postgres")) {
            return 0;
        }
        // After "pid (comm) ": state is field 3; utime, stime, cutime, cstime are fields 14 to 17.
        String[] fields = line.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100; // Linux's USER_HZ nearly everywhere
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
