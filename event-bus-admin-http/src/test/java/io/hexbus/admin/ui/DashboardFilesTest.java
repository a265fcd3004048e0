package io.hexbus.admin.ui;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's files keep the rules that the Content-Security-Policy cannot enforce, or that it would enforce only
 * by breaking the page at run time: server data never becomes markup, nothing inline, no asset from elsewhere, no
 * storage but the tab's, and every module it imports exists. The browser test (adapters) runs the page itself.
 */
class DashboardFilesTest {

    private static final Path UI = Path.of("src/main/resources/io/hexbus/admin/ui");
    /** What would turn text into markup or code, store the token beyond the tab, or send cookies. */
    private static final Pattern FORBIDDEN_IN_SCRIPTS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|localStorage"
                    + "|document\\.cookie|\\.style\\b|setAttribute\\('style'|credentials: 'include'");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import .* from '([^']+)';$");

    @Test
    void scriptsNeverParseMarkupNorKeepTheTokenBeyondTheTab() throws IOException {
        List<Path> scripts = files(".js");
        assertTrue(scripts.size() >= 5, "the dashboard's modules: " + scripts);
        List<String> found = new ArrayList<>();
        for (Path script : scripts) {
            String[] lines = Files.readString(script).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher matcher = FORBIDDEN_IN_SCRIPTS.matcher(lines[i]);
                if (matcher.find() && !lines[i].trim().startsWith("//")) {
                    found.add(UI.relativize(script) + ":" + (i + 1) + ": " + matcher.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void thePageHasNothingInlineAndNothingFromElsewhere() throws IOException {
        String page = Files.readString(UI.resolve("index.html"));
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find(), "an inline script");
        assertFalse(page.contains("<style"), "an inline style sheet");
        assertFalse(Pattern.compile("\\sstyle\\s*=").matcher(page).find(), "a style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=").matcher(page).find(), "an event handler attribute");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "an asset from another host");
        assertTrue(page.contains("src=\"/ui/vendor/uplot/uPlot.iife.min.js\""), "uPlot from the webjar");
    }

    @Test
    void everyImportedModuleExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int imports = 0;
        for (Path script : files(".js")) {
            Matcher matcher = IMPORT.matcher(Files.readString(script));
            while (matcher.find()) {
                imports++;
                String target = matcher.group(1);
                if (!target.startsWith("./") && !target.startsWith("../")
                        || !Files.isRegularFile(script.getParent().resolve(target).normalize())) {
                    missing.add(UI.relativize(script) + " imports " + target);
                }
            }
        }
        assertTrue(imports > 10, "imports found: " + imports);
        assertEquals(List.of(), missing);
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> paths = Files.walk(UI)) {
            return paths.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
