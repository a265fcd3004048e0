package io.hexbus.admin.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where uPlot's files are in its webjar ({@code org.webjars.npm:uplot}): the version is read from the webjar's own
 * {@value #POM_PROPERTIES} once, at start, so that upgrading the dependency is the only change a new uPlot needs.
 */
final class UPlotWebjar {

    /** The Maven coordinates file every webjar carries. */
    static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private UPlotWebjar() {
    }

    /**
     * @param loader the class loader that sees the webjar
     * @return the resource folder of uPlot's built files, ending with a slash
     * @throws IllegalStateException if the webjar is not on the class path or names no version
     */
    static String distFolder(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw missing("its " + POM_PROPERTIES + " is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
        }
        String version = properties.getProperty("version", "").trim();
        if (!version.matches("[0-9A-Za-z.+_-]+")) {
            throw missing(POM_PROPERTIES + " names no version");
        }
        return "META-INF/resources/webjars/uplot/" + version + "/dist/";
    }

    private static IllegalStateException missing(String why) {
        return new IllegalStateException("the dashboard needs uPlot's webjar (org.webjars.npm:uplot, a dependency of"
                + " event-bus-admin-http): " + why);
    }
}
