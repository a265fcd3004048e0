package io.hexbus.api.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * Attached to a failed test's failure (suppressed): where the test's log is, and its last lines. Surefire prints
 * it with the failure's stack trace, so the console says where to look although the log itself stays in its file.
 */
public final class SeeTestLog extends Exception {

    private static final long serialVersionUID = 1L;

    SeeTestLog(Path log, List<String> tail) {
        super("the test's log is " + log + (tail.isEmpty() ? " (nothing was logged)"
                : (tail.size() == 1 ? "; its last line:\n" : "; its last " + tail.size() + " lines:\n")
                + String.join("\n", tail)), null, false, false);
    }
}
