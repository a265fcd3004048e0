package io.hexbus.release;

import io.hexbus.release.Releases.Module;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Maven Central requires of every published artifact, checked on what this build produced: a sources jar and
 * a Javadoc jar beside each published jar (and its test-jar where the module makes one), and in every published
 * POM, as Maven reads it with inheritance, a name, a description, a URL, a license, a developer and the SCM
 * coordinates; plus the LICENSE file they point to.
 *
 * <p>A module is published unless its POM sets {@code maven.deploy.skip} to {@code true}. A build run with
 * {@code -Dmaven.source.skip=true} or {@code -Dmaven.javadoc.skip=true} skips the matching jar check.
 */
class PublishedArtifactsTest {

    private static final String PARENT = "hexbus-parent";

    @Test
    void everyPublishedJarHasItsSourcesAndJavadocJarsBeside() throws IOException {
        List<String> problems = new ArrayList<>();
        String version = Releases.version();
        List<Module> published = publishedJars();
        assertTrue(published.size() >= 6, "published modules: " + published.stream().map(Module::artifactId).toList());
        for (Module module : published) {
            String base = module.artifactId() + "-" + version;
            expect(problems, module.target().resolve(base + ".jar"), ".class");
            if (!Boolean.getBoolean("hexbus.source.skipped")) {
                expect(problems, module.target().resolve(base + "-sources.jar"), ".java");
            }
            if (!Boolean.getBoolean("hexbus.javadoc.skipped")) {
                expect(problems, module.target().resolve(base + "-javadoc.jar"), "index.html");
            }
            if (module.hasTestJar()) {
                expect(problems, module.target().resolve(base + "-tests.jar"), ".class");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyPublishedPomHasTheMetadataMavenCentralRequires() {
        Element parent = Releases.parentPom();
        Element bom = Releases.read(Releases.root().resolve("hexbus-bom/pom.xml"));
        List<String> problems = new ArrayList<>();
        metadata(problems, "pom.xml", parent, null);
        metadata(problems, "hexbus-bom/pom.xml", bom, null);
        for (Module module : Releases.modules()) {
            if (module.published() && !module.directory().equals("hexbus-bom")) {
                boolean inherits = Releases.text(module.pom(), "parent", "artifactId").orElse("").equals(PARENT);
                metadata(problems, module.directory() + "/pom.xml", module.pom(), inherits ? parent : null);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void modulesKeepTheRepositoryAddressesAsTheyInheritThem() {
        // Maven appends the module's directory to an inherited url and scm unless told not to: a 404 on Central.
        Element parent = Releases.parentPom();
        assertEquals("false", parent.getAttribute("child.project.url.inherit.append.path"));
        Element scm = Releases.children(parent, "scm").get(0);
        for (String attribute : List.of("child.scm.connection.inherit.append.path",
                "child.scm.developerConnection.inherit.append.path", "child.scm.url.inherit.append.path")) {
            assertEquals("false", scm.getAttribute(attribute), attribute);
        }
    }

    @Test
    void theBomRepeatsTheParentsMetadataUnchanged() {
        Element parent = Releases.parentPom();
        Element bom = Releases.read(Releases.root().resolve("hexbus-bom/pom.xml"));
        for (String[] path : List.of(new String[]{"url"}, new String[]{"licenses", "license", "name"},
                new String[]{"licenses", "license", "url"}, new String[]{"scm", "url"},
                new String[]{"scm", "connection"}, new String[]{"scm", "developerConnection"},
                new String[]{"developers", "developer", "name"})) {
            assertEquals(Releases.text(parent, path), Releases.text(bom, path), String.join("/", path));
        }
    }

    @Test
    void theLicenseIsTheApacheLicense20AsThePomsSay() throws IOException {
        String license = Files.readString(Releases.root().resolve("LICENSE"), StandardCharsets.UTF_8);
        assertTrue(license.strip().startsWith("Apache License\n                           Version 2.0, January 2004"),
                "LICENSE is not the Apache License 2.0 text");
        assertTrue(license.contains("END OF TERMS AND CONDITIONS"), "LICENSE is not the full text");
        assertEquals(Optional.of("Apache-2.0"), Releases.text(Releases.parentPom(), "licenses", "license", "name"));
    }

    private static List<Module> publishedJars() {
        return Releases.modules().stream().filter(Module::published)
                .filter(module -> module.packaging().equals("jar")).toList();
    }

    private static void expect(List<String> problems, Path jar, String entrySuffix) throws IOException {
        if (!Files.isRegularFile(jar)) {
            problems.add(Releases.root().relativize(jar) + " is missing");
            return;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(entry -> entry.getName().endsWith(entrySuffix))) {
                problems.add(Releases.root().relativize(jar) + " has no " + entrySuffix + " entry");
            }
        }
    }

    /** Checks one POM; {@code parent} is the POM it inherits from, or null. */
    private static void metadata(List<String> problems, String where, Element pom, Element parent) {
        // Maven never inherits the name; a module's description would describe another module.
        Map<String, String[]> own = Map.of("name", new String[]{"name"}, "description", new String[]{"description"});
        Map<String, String[]> inherited = Map.of(
                "url", new String[]{"url"},
                "licenses/license/name", new String[]{"licenses", "license", "name"},
                "licenses/license/url", new String[]{"licenses", "license", "url"},
                "developers/developer/name", new String[]{"developers", "developer", "name"},
                "scm/url", new String[]{"scm", "url"},
                "scm/connection", new String[]{"scm", "connection"},
                "scm/developerConnection", new String[]{"scm", "developerConnection"});
        own.forEach((label, path) -> {
            if (Releases.text(pom, path).isEmpty()) {
                problems.add(where + " has no " + label);
            }
        });
        Function<String[], Optional<String>> effective = path -> Releases.text(pom, path)
                .or(() -> parent == null ? Optional.empty() : Releases.text(parent, path));
        inherited.forEach((label, path) -> {
            if (effective.apply(path).isEmpty()) {
                problems.add(where + " has no " + label + (parent == null ? "" : ", nor does its parent"));
            }
        });
    }
}
