package io.hexbus.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a script from a resource directory and expands its includes, as BullMQ's {@code --- @include} does:
 * a line {@code --- @include "name"} is replaced by {@code includes/name.lua} of the same directory, itself
 * expanded. An include is expanded once per script, where it is first met; a later line naming it again is
 * dropped, so two includes may share a third and cycles end. The line is a Lua comment, so an unexpanded file
 * still parses.
 */
final class ScriptSource {

    private static final String DIRECTIVE = "--- @include";
    private static final Pattern INCLUDE = Pattern.compile("--- @include \"([a-z0-9-]+)\"");

    private final String directory;
    private final String file;
    private final Set<String> included = new HashSet<>();

    private ScriptSource(String directory, String file) {
        this.directory = directory;
        this.file = file;
    }

    /**
     * The source of {@code directory + file}, resolved against this package, with its includes expanded.
     *
     * @throws IllegalStateException if the script or an include is missing, or an include line is malformed
     */
    static String expanded(String directory, String file) {
        ScriptSource source = new ScriptSource(directory, file);
        String text = source.read(directory + file);
        if (text == null) {
            throw new IllegalStateException("script " + file + " is missing from " + directory);
        }
        return source.expand(text);
    }

    private String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("(?<=\n)")) {
            if (!line.stripLeading().startsWith(DIRECTIVE)) {
                out.append(line);
                continue;
            }
            Matcher include = INCLUDE.matcher(line.strip());
            if (!include.matches()) {
                throw new IllegalStateException("script " + file + " has a malformed include line: "
                        + line.strip() + " (expected " + DIRECTIVE + " \"name\")");
            }
            String name = include.group(1);
            if (included.add(name)) {
                out.append(expand(requireInclude(name)));
                if (out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    private String requireInclude(String name) {
        String text = read(directory + "includes/" + name + ".lua");
        if (text == null) {
            throw new IllegalStateException("script " + file + " includes \"" + name + "\", but "
                    + directory + "includes/" + name + ".lua is missing");
        }
        return text;
    }

    private String read(String resource) {
        try (InputStream in = ScriptSource.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " for script " + file, e);
        }
    }
}
