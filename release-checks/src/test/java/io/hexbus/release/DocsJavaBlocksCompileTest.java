package io.hexbus.release;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles against every hexbus module, the conformance
 * suite and the Redis test fixture, as a user would copy it; and the README's quickstart also runs and prints what
 * the README says.
 *
 * <p>The convention for writing a Java block:
 * <ul>
 *   <li>By default a block is a whole compilation unit: its imports and one top-level type, compiled as
 *       {@code <TypeName>.java} (the public type, else the first top-level one).</li>
 *   <li>A fragment (statements that need variables in scope) is preceded, on the line right before its fence, by
 *       {@code <!-- java-wrapper: Name -->}. It is compiled inside {@code src/test/resources/doc-wrappers/Name.java}
 *       of this module, in place of the line {@code // fragment}: the wrapper holds the imports and declares, as
 *       parameters, the variables the fragment uses. The HTML comment does not show on a rendered page.</li>
 *   <li>A block that is not Java for the compiler (pseudo-code, a signature) is fenced as something else, e.g.
 *       {@code ```text}.</li>
 * </ul>
 * Blocks inside list items may be indented; the common indentation is removed.
 */
class DocsJavaBlocksCompileTest {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```java\\s*$");
    private static final Pattern WRAPPER = Pattern.compile("^\\s*<!--\\s*java-wrapper:\\s*(\\w+)\\s*-->\\s*$");
    private static final Pattern TYPE = Pattern.compile(
            "^(public\\s+)?(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
            Pattern.MULTILINE);

    /** One {@code ```java} block: where it is, its code, and the wrapper it goes into, if any. */
    record Block(Path file, int line, String code, String wrapper) {

        String where() {
            return Releases.root().relativize(file) + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles(@TempDir Path work) {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 3, "found only " + blocks.size() + " Java blocks: " + blocks);
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.where(), () -> {
            Path dir = Files.createDirectories(work.resolve(block.where().replaceAll("[^\\w.]", "_")));
            compile(dir, block);
        }));
    }

    @Test
    void theQuickstartRunsAndPrintsTheHandledEvent(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Releases.root().resolve("README.md"));
        String marked = readme.substring(readme.indexOf("<!-- quickstart:begin -->"),
                readme.indexOf("<!-- quickstart:end -->"));
        Block quickstart = blocks().stream().filter(block -> marked.contains(block.code().strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no Java block between the quickstart markers"));
        compile(dir, quickstart);

        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir + File.pathSeparator + System.getProperty("java.class.path"), "Quickstart")
                .redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the quickstart did not finish");
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.exitValue(), output);
        assertEquals("Handled order order-1\nPUBLISHED\nDUPLICATE\n", output.replace("\r\n", "\n"));
    }

    @Test
    void aBlockThatDoesNotCompileIsReportedWithItsPlace(@TempDir Path dir) {
        Block broken = new Block(Releases.root().resolve("README.md"), 1,
                "class Broken { InvoiceRejected rejected; }", null);

        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> compile(dir, broken));
        assertTrue(failure.getMessage().contains("README.md:1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("InvoiceRejected"), failure.getMessage());
    }

    private static void compile(Path dir, Block block) throws IOException {
        String source = block.wrapper() == null ? block.code() : wrap(block);
        Matcher type = TYPE.matcher(source);
        String name = null;
        while (type.find()) {
            if (name == null || type.group(1) != null) {
                name = type.group(2);
            }
            if (type.group(1) != null) {
                break;
            }
        }
        assertNotNull(name, block.where() + ": no top-level type; mark a fragment with <!-- java-wrapper: Name -->");
        Path file = Files.writeString(dir.resolve(name + ".java"), source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, files, diagnostics, List.of("-proc:none", "-d", dir.toString(),
                    "-cp", System.getProperty("java.class.path")), null, files.getJavaFileObjects(file)).call();
            if (!compiled) {
                throw new AssertionError(block.where() + " does not compile"
                        + (block.wrapper() == null ? "" : " (in doc-wrappers/" + block.wrapper() + ".java)") + ":\n"
                        + diagnostics.getDiagnostics().stream()
                        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n")) + "\n--- compiled source ---\n" + source);
            }
        }
    }

    private static String wrap(Block block) {
        String resource = "/doc-wrappers/" + block.wrapper() + ".java";
        try (InputStream in = DocsJavaBlocksCompileTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, block.where() + " names the wrapper " + block.wrapper() + ", but " + resource
                    + " is missing from release-checks/src/test/resources");
            String wrapper = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(wrapper.contains("// fragment"), resource + " has no '// fragment' line");
            return wrapper.replace("// fragment", block.code());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every Java block of README.md and docs/*.md, in file order */
    static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        for (Path file : Releases.documents()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                Matcher fence = FENCE.matcher(lines.get(i));
                if (!fence.matches()) {
                    continue;
                }
                String indent = fence.group(1);
                String wrapper = null;
                if (i > 0) {
                    Matcher marker = WRAPPER.matcher(lines.get(i - 1));
                    wrapper = marker.matches() ? marker.group(1) : null;
                }
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).strip().equals("```")) {
                    String line = lines.get(j);
                    code.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading())
                            .append('\n');
                    j++;
                }
                assertFalse(j == lines.size(), file + ":" + (i + 1) + ": the Java block is never closed");
                blocks.add(new Block(file, i + 1, code.toString(), wrapper));
                i = j;
            }
        }
        return blocks;
    }
}
