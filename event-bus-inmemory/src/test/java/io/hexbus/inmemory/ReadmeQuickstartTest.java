package io.hexbus.inmemory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's quickstart, copied into a file as a new user would, compiles and prints the handled event. */
class ReadmeQuickstartTest {

    @Test
    void theQuickstartCompilesAndPrintsTheHandledEvent(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String block = readme.substring(readme.indexOf("<!-- quickstart:begin -->"),
                readme.indexOf("<!-- quickstart:end -->"));
        String source = block.substring(block.indexOf("```java") + "```java".length(), block.lastIndexOf("```"));
        Path file = Files.writeString(dir.resolve("Quickstart.java"), source);
        String classpath = System.getProperty("java.class.path");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), "-cp", classpath, file.toString()),
                "the quickstart does not compile");

        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir + File.pathSeparator + classpath, "Quickstart")
                .redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the quickstart did not finish");
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.exitValue(), output);
        assertEquals("Handled order order-1\nPUBLISHED\nDUPLICATE\n", output.replace("\r\n", "\n"));
    }
}
