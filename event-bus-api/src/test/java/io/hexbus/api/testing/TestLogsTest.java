package io.hexbus.api.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link TestLogs} around the tests of {@link Sample}, which a JUnit launcher of this test's own runs (as Surefire
 * does, with auto-detection on): every test's output lands in its own file, and a failure says where.
 */
class TestLogsTest {

    @TempDir
    Path logs;

    private static final String SAMPLE = "hexbus.test-logs.sample";

    /** Runs {@link Sample} only from this test's launcher, not when a {@code -Dtest} pattern selects it. */
    static class OnlyFromTestLogsTest implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SAMPLE).isPresent() ? ConditionEvaluationResult.enabled("run by"
                    + " TestLogsTest") : ConditionEvaluationResult.disabled("a sample that TestLogsTest runs");
        }
    }

    /** Tests to run under the extension; a nested class, so that Surefire does not run it on its own. */
    @ExtendWith(OnlyFromTestLogsTest.class)
    static class Sample {

        @BeforeAll
        static void startTheClass() {
            System.out.println("the class starts");
        }

        @Test
        void passes() throws InterruptedException {
            System.out.println("passes prints");
            Thread worker = new Thread(() -> System.err.println("a thread the test started logs"));
            worker.start();
            worker.join();
        }

        @Test
        void fails() {
            System.err.println("fails prints, then fails");
            fail("expected by TestLogsTest");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void runsTwice(int run) {
            System.out.println("run " + run);
        }

        @Test
        void startsProcesses() throws IOException {
            System.out.println(TestLogs.file("worker"));
            System.out.println(TestLogs.file("worker"));
        }
    }

    private Map<String, TestExecutionResult> runSample(boolean withDirectory) {
        Map<String, String> parameters = new HashMap<>(Map.of(
                "junit.jupiter.extensions.autodetection.enabled", "true", SAMPLE, "true"));
        if (withDirectory) {
            parameters.put(TestLogs.DIRECTORY, logs.toString());
        }
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class))
                .configurationParameters(parameters).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        results.put(test.getDisplayName(), result);
                    }
                });
        return results;
    }

    private Path log(String name) {
        return logs.resolve("TestLogsTest$Sample").resolve(name);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void eachTestWritesToAFileOfItsOwnAndTheStreamsAreRestoredAfterwards() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Files.createDirectories(log("x").getParent());
        Files.writeString(log("renamedSinceTheLastRun.log"), "stale");

        Map<String, TestExecutionResult> results = runSample(true);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("passes()").getStatus());
        assertTrue(read(log("class.log")).contains("the class starts"));
        assertTrue(read(log("passes.log")).contains("passes prints\na thread the test started logs"),
                () -> "the test's thread and the thread it started: " + log("passes.log"));
        assertTrue(read(log("runsTwice-1.log")).contains("run 1"));
        assertTrue(read(log("runsTwice-2.log")).contains("run 2"));
        assertFalse(read(log("passes.log")).contains("run 1"));
        assertFalse(Files.exists(log("renamedSinceTheLastRun.log")), "the class's logs of its last run are gone");
        assertSame(out, System.out);
        assertSame(err, System.err);
    }

    @Test
    void aFailedTestSaysWhereItsLogIsAndQuotesItsEnd() throws Exception {
        Map<String, TestExecutionResult> results = runSample(true);

        Throwable failure = results.get("fails()").getThrowable().orElseThrow();
        assertEquals("expected by TestLogsTest", failure.getMessage());
        SeeTestLog see = (SeeTestLog) Arrays.stream(failure.getSuppressed()).filter(SeeTestLog.class::isInstance)
                .findFirst().orElseThrow(() -> new AssertionError("no SeeTestLog", failure));
        assertTrue(see.getMessage().startsWith("the test's log is " + log("fails.log").toAbsolutePath() + ";"),
                see.getMessage());
        assertTrue(see.getMessage().endsWith("\nfails prints, then fails"), see.getMessage());
    }

    @Test
    void aProcessTheTestStartsGetsAFileNextToTheTestsLogOfItsOwn() throws Exception {
        runSample(true);

        Stream<String> lines = read(log("startsProcesses.log")).lines().skip(1);
        assertEquals(Arrays.asList(log("startsProcesses.worker.log").toAbsolutePath().toString(),
                log("startsProcesses.worker-2.log").toAbsolutePath().toString()), lines.toList());
    }

    @Test
    void withoutTheDirectoryParameterItDoesNothing() throws Exception {
        Map<String, TestExecutionResult> results = runSample(false);

        assertFalse(Files.exists(logs.resolve("TestLogsTest$Sample")));
        Throwable failure = results.get("fails()").getThrowable().orElseThrow();
        assertEquals(0, failure.getSuppressed().length);
    }
}
