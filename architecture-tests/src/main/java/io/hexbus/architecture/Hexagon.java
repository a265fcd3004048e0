package io.hexbus.architecture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The parts of a hexagonal service, each named and found by ArchUnit package identifiers, for
 * {@link HexagonRules#arrowsPointInward(Hexagon)}.
 *
 * <p>The port is the inside; transports implement it; the domain uses it; adapters drive the domain and
 * drive or wrap transports; the composition root wires everything together and is the only part that may
 * know every other part.
 *
 * @param port            the port (the event bus API); depends on no other part
 * @param transports      the transports; each may depend on the port only, never on another transport
 * @param domain          the domain and its use cases; may depend on the port only
 * @param adapters        driving and driven adapters; may depend on anything but the composition root
 * @param compositionRoot the composition root (the application's {@code main}); may depend on every part
 */
public record Hexagon(Part port, List<Part> transports, Part domain, Part adapters, Part compositionRoot) {

    /**
     * Checks that every part is given and that no two parts share a name.
     *
     * @param port            the port
     * @param transports      the transports, possibly none
     * @param domain          the domain
     * @param adapters        the adapters
     * @param compositionRoot the composition root
     * @throws IllegalArgumentException if two parts have the same name
     */
    public Hexagon {
        Objects.requireNonNull(port, "port");
        transports = List.copyOf(transports);
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(compositionRoot, "compositionRoot");
        Set<String> names = new HashSet<>();
        for (Part part : parts(port, transports, domain, adapters, compositionRoot)) {
            if (!names.add(part.name())) {
                throw new IllegalArgumentException("Two parts of the hexagon are named '" + part.name() + "'");
            }
        }
    }

    /**
     * Every part: the port, the transports, the domain, the adapters and the composition root, in that order.
     *
     * @return the parts
     */
    public List<Part> parts() {
        return parts(port, transports, domain, adapters, compositionRoot);
    }

    private static List<Part> parts(Part port, List<Part> transports, Part domain, Part adapters, Part root) {
        List<Part> parts = new ArrayList<>();
        parts.add(port);
        parts.addAll(transports);
        parts.add(domain);
        parts.add(adapters);
        parts.add(root);
        return List.copyOf(parts);
    }

    /**
     * One part of the hexagon.
     *
     * @param name       the name that violation reports use, unique within the hexagon
     * @param packages   ArchUnit package identifiers ({@code "io.hexbus.api.."}) of the classes in this part
     * @param mayBeEmpty whether the part may legitimately have no classes (a transport not written yet);
     *                   a part that must exist and has no classes is a violation, so a rule never passes
     *                   because it saw nothing
     */
    public record Part(String name, List<String> packages, boolean mayBeEmpty) {

        /**
         * Checks that the part has a name and at least one package.
         *
         * @param name       the part's name
         * @param packages   its package identifiers
         * @param mayBeEmpty whether it may have no classes
         * @throws IllegalArgumentException if the name is blank or no package is given
         */
        public Part {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A part of the hexagon needs a name");
            }
            packages = List.copyOf(packages);
            if (packages.isEmpty()) {
                throw new IllegalArgumentException("Part '" + name + "' needs at least one package");
            }
        }

        /**
         * A part that must have classes.
         *
         * @param name     the part's name, for reports
         * @param packages its package identifiers, at least one
         * @return the part
         */
        public static Part of(String name, String... packages) {
            return new Part(name, List.of(packages), false);
        }

        /**
         * A part that may legitimately have no classes, such as a transport that is not written yet.
         *
         * @param name     the part's name, for reports
         * @param packages its package identifiers, at least one
         * @return the part
         */
        public static Part optional(String name, String... packages) {
            return new Part(name, List.of(packages), true);
        }

        String[] packageArray() {
            return packages.toArray(String[]::new);
        }
    }
}
