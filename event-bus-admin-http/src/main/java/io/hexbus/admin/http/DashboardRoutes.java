package io.hexbus.admin.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dashboard under {@code /ui}: its files from the classpath ({@value #ROOT}) and uPlot from its webjar, with
 * a strict Content-Security-Policy and no caching on every response, errors included. Served only when an admin
 * token is configured (else 404 {@code admin-disabled}); the files themselves need no token, as the page asks for
 * it and sends it on every data call. Never sets a cookie. A file that cannot be read is a 500 {@code internal}
 * problem, logged. Below a context path the page names its files under it.
 */
final class DashboardRoutes {

    /** The Content-Security-Policy of every {@code /ui} response: no inline script or style, nothing off-site. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private static final String ROOT = "io/hexbus/admin/ui/";
    // Path segments of plain names only: no "..", no empty segment, no backslash or encoded character.
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "woff2", "font/woff2");

    private final TokenGuard guard;
    private final AdminJson json;
    private final ClassLoader loader;
    // uPlot's files, from the webjar's folder of the version it declares (UPlotWebjar).
    private final Map<String, String> vendor;

    DashboardRoutes(TokenGuard guard, AdminJson json) {
        this(guard, json, DashboardRoutes.class.getClassLoader());
    }

    /**
     * @param loader where the files and the webjar are read from
     * @throws IllegalStateException if uPlot's webjar is not there
     */
    DashboardRoutes(TokenGuard guard, AdminJson json, ClassLoader loader) {
        this.guard = guard;
        this.json = json;
        this.loader = loader;
        String uplot = UPlotWebjar.distFolder(loader);
        this.vendor = Map.of(
                "vendor/uplot/uPlot.iife.min.js", uplot + "uPlot.iife.min.js",
                "vendor/uplot/uPlot.min.css", uplot + "uPlot.min.css");
    }

    void register(JavalinDefaultRoutingApi<?> routing) {
        routing.get("/ui", ctx -> serve(ctx, "index.html"));
        routing.get("/ui/<file>", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String file) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (!guard.tokenConfigured()) {
            json.writeProblem(ctx, TokenGuard.disabled());
            return;
        }
        String name = file.isEmpty() ? "index.html" : file;
        Optional<byte[]> content;
        try {
            content = resource(name);
        } catch (RuntimeException unreadable) {
            // In a host app no handler of ours would turn this into a problem document: answer it here.
            json.writeProblem(ctx, FailureProblems.problemFor(ctx, unreadable));
            return;
        }
        if (content.isEmpty()) {
            json.writeProblem(ctx, Problem.notFound("no such dashboard file: " + AdminJson.abbreviate(name)));
            return;
        }
        ctx.contentType(type(name));
        ctx.result(name.equals("index.html") ? underContextPath(content.get(), ctx.contextPath()) : content.get());
    }

    /**
     * The page names its files root-absolute ({@code "/ui/…"}: it answers at {@code /ui} and {@code /ui/}, and the CSP
     * rules out {@code <base>}); an app mounted below a context path (a servlet in a Spring Boot service) serves them
     * there, so the page names them there. The context path is the container's configuration, never the request's.
     */
    private static byte[] underContextPath(byte[] page, String contextPath) {
        if (contextPath.isEmpty() || contextPath.equals("/")) {
            return page;
        }
        String escaped = contextPath.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("'", "&#39;");
        return new String(page, StandardCharsets.UTF_8).replace("=\"/ui/", "=\"" + escaped + "/ui/")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Optional<byte[]> resource(String name) {
        if (!FILE.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        String path = vendor.getOrDefault(name, ROOT + name);
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
