package io.hexbus.release;

import io.hexbus.release.Releases.Module;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hexbus-bom manages exactly the artifacts the build publishes: every published jar module, and the test-jar
 * ({@code <classifier>tests</classifier><type>test-jar</type>}) of every module that makes one (the conformance
 * suite, the Redis test fixture), each at the project's version; nothing that is not published.
 */
class BomListsEveryPublishedArtifactTest {

    @Test
    void theBomListsEveryPublishedArtifactAndNothingElse() {
        Set<String> published = new TreeSet<>();
        for (Module module : Releases.modules()) {
            if (module.published() && module.packaging().equals("jar")) {
                published.add(module.artifactId());
                if (module.hasTestJar()) {
                    published.add(module.artifactId() + ":test-jar:tests");
                }
            }
        }
        assertTrue(published.contains("adapters") && published.contains("event-bus-redis:test-jar:tests"),
                "the modules were not read: " + published);

        Set<String> managed = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        Element bom = Releases.read(Releases.root().resolve("hexbus-bom/pom.xml"));
        for (Element dependency : Releases.descendants(bom, "dependency")) {
            String artifact = Releases.text(dependency, "artifactId").orElse("?");
            String type = Releases.text(dependency, "type").orElse("jar");
            String classifier = Releases.text(dependency, "classifier").orElse("");
            String key = type.equals("jar") && classifier.isEmpty() ? artifact : artifact + ":" + type + ":" + classifier;
            managed.add(key);
            if (!Releases.text(dependency, "groupId").orElse("").equals("io.hexbus")) {
                problems.add(key + ": groupId is not io.hexbus");
            }
            if (!Releases.text(dependency, "version").orElse("").equals("${project.version}")) {
                problems.add(key + ": version is not ${project.version}");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(published, managed, "hexbus-bom/pom.xml must list every published artifact (left) and only"
                + " those (right)");
    }
}
