package io.hexbus.api.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends what a test prints and logs to a file of its own, so that a green build is quiet and a red one says
 * where to look. A JUnit 5 extension, registered for every test of the hexbus build by auto-detection (the root
 * POM's Surefire configuration sets the {@value #DIRECTORY} parameter and turns auto-detection on); without that
 * parameter (an IDE, a user's build that uses this test-jar) it does nothing.
 *
 * <p>While a test class runs, {@code System.out} and {@code System.err} write to
 * {@code <directory>/<TestClass>/class.log}; while one of its tests runs, with its {@code @BeforeEach} and
 * {@code @AfterEach} methods, to {@code <directory>/<TestClass>/<method>.log} ({@code <method>-<n>.log} for the
 * n-th invocation of a parameterized or repeated test). The tests log through SLF4J's simple logger, which writes
 * to {@code System.err} as it is at each call, so the log lines of every thread land in the file of the test
 * running at the time, those of threads the test started included. A class's logs of its previous run are
 * deleted when it starts again; the new ones are kept. A test that fails carries the path and the last lines of
 * its log in its failure (a suppressed {@link SeeTestLog}, which Surefire prints with the stack trace).
 *
 * <p>The streams are the JVM's: this works because the build runs one test at a time per JVM. A thread left
 * running by a test that logs after it ended writes to the log of whichever test runs then.
 */
public final class TestLogs implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** The JUnit configuration parameter naming the directory of the logs; unset, the extension does nothing. */
    public static final String DIRECTORY = "hexbus.test-logs.directory";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestLogs.class);
    private static final Pattern INVOCATION = Pattern.compile(":#(\\d+)]$");

    /** Created by JUnit's auto-detection. */
    public TestLogs() {
    }

    /**
     * A file for the output of a process that the running test starts, next to the test's log:
     * {@code <method>.<name>.log}, or {@code <method>.<name>-2.log} and so on when the test asks for one name
     * again. Without a test log (the extension inert), a new temporary file.
     *
     * @param name what the file holds, e.g. {@code worker}; letters, digits, {@code .}, {@code _} and {@code -}
     * @return an empty file
     * @throws IOException if it cannot be created
     */
    public static Path file(String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a log name is letters, digits, '.', '_' and '-': " + name);
        }
        if (System.out instanceof LogStream running) {
            return running.sibling(name);
        }
        return Files.createTempFile("hexbus-" + name + "-", ".log");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<Path> directory = directory(context);
        if (directory.isPresent()) {
            Path classDirectory = directory.get().resolve(classDirectoryName(context.getRequiredTestClass()));
            deleteLogs(classDirectory);
            capture(context, classDirectory.resolve("class.log"), context.getRequiredTestClass().getName());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Optional<Path> directory = directory(context);
        if (directory.isPresent()) {
            capture(context, directory.get().resolve(classDirectoryName(context.getRequiredTestClass()))
                    .resolve(fileName(context)), context.getRequiredTestClass().getName() + "."
                    + context.getRequiredTestMethod().getName() + ": " + context.getDisplayName());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        release(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        release(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw pointToTheLog(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw pointToTheLog(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw pointToTheLog(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw pointToTheLog(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw pointToTheLog(context, failure);
    }

    private static Optional<Path> directory(ExtensionContext context) {
        return context.getConfigurationParameter(DIRECTORY).filter(value -> !value.isBlank()).map(Path::of);
    }

    /** The class's name within its package: {@code Outer$Nested} for a {@code @Nested} class. */
    private static String classDirectoryName(Class<?> testClass) {
        String name = testClass.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String fileName(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        Matcher invocation = INVOCATION.matcher(context.getUniqueId());
        return invocation.find() ? method + "-" + invocation.group(1) + ".log" : method + ".log";
    }

    private static void deleteLogs(Path classDirectory) throws IOException {
        if (!Files.isDirectory(classDirectory)) {
            return;
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(classDirectory, "*.log")) {
            for (Path log : logs) {
                Files.deleteIfExists(log);
            }
        }
    }

    private static void capture(ExtensionContext context, Path file, String title) throws IOException {
        LogStream log = LogStream.create(file, title);
        context.getStore(NAMESPACE).put(Capture.class, new Capture(log, System.out, System.err));
        System.setOut(log);
        System.setErr(log);
    }

    private static void release(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture != null) {
            capture.close();
        }
    }

    private static Throwable pointToTheLog(ExtensionContext context, Throwable failure) {
        Capture capture = context.getStore(NAMESPACE).get(Capture.class, Capture.class); // this test's, or its class's
        boolean pointedAlready = Arrays.stream(failure.getSuppressed()).anyMatch(SeeTestLog.class::isInstance);
        if (capture != null && !pointedAlready) {
            failure.addSuppressed(new SeeTestLog(capture.log.file(), capture.log.tail()));
        }
        return failure;
    }

    /** The streams in force before a test's log took over, put back when it ends. */
    private record Capture(LogStream log, PrintStream out, PrintStream err) implements AutoCloseable {

        @Override
        public void close() {
            if (System.out == log) {
                System.setOut(out);
            }
            if (System.err == log) {
                System.setErr(err);
            }
            log.close();
        }
    }
}
