package io.hexbus.release;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The repository as the checks see it: its root, its documents, and its modules read from their POMs. */
final class Releases {

    private Releases() {
    }

    /** @return the repository's root directory (the parent POM's), from the build */
    static Path root() {
        String root = System.getProperty("hexbus.root");
        return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
    }

    /** @return the version being built */
    static String version() {
        String version = System.getProperty("hexbus.version");
        if (version == null) {
            throw new IllegalStateException("run through Maven: the hexbus.version system property is missing");
        }
        return version;
    }

    /** @return README.md and every docs/*.md, sorted */
    static List<Path> documents() {
        List<Path> documents = new ArrayList<>();
        documents.add(root().resolve("README.md"));
        try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** A module of the reactor, as its POM declares it. */
    record Module(String directory, Element pom) {

        String artifactId() {
            return text(pom, "artifactId").orElseThrow();
        }

        String packaging() {
            return text(pom, "packaging").orElse("jar");
        }

        /** @return false when the module says it is never deployed ({@code maven.deploy.skip}) */
        boolean published() {
            return !text(pom, "properties", "maven.deploy.skip").orElse("false").equals("true");
        }

        /** @return true when the module builds a test-jar beside its jar */
        boolean hasTestJar() {
            return descendants(pom, "goal").stream().anyMatch(goal -> goal.getTextContent().strip().equals("test-jar"));
        }

        Path target() {
            return root().resolve(directory).resolve("target");
        }
    }

    /** @return the root POM */
    static Element parentPom() {
        return read(root().resolve("pom.xml"));
    }

    /** @return every module the root POM names, in its profiles too, in declaration order */
    static List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        for (Element list : descendants(parentPom(), "modules")) {
            for (Element module : children(list, "module")) {
                String directory = module.getTextContent().strip();
                modules.add(new Module(directory, read(root().resolve(directory).resolve("pom.xml"))));
            }
        }
        return modules;
    }

    static Element read(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            return document.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    /** @return the text of the element at this path of child names, if it is there and not blank */
    static Optional<String> text(Element from, String... path) {
        Element current = from;
        for (String name : path) {
            List<Element> next = children(current, name);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get(0);
        }
        String text = current.getTextContent().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    static List<Element> descendants(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }
}
