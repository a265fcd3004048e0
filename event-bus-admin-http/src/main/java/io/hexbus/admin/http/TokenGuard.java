package io.hexbus.admin.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call the admin routes: the holder of the bearer token, compared in constant time (both sides hashed
 * first, so neither the content nor the length leaks through timing). Never a cookie; the token is never logged
 * nor shown by {@link #toString()}. Immutable and thread-safe.
 */
public final class TokenGuard {

    /** The shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** The variable the sample app and the docs read the token from. */
    public static final String TOKEN_VARIABLE = "HEXBUS_ADMIN_TOKEN";
    /** The variable that serves the admin routes without a token, on a trusted network. */
    public static final String INSECURE_VARIABLE = "HEXBUS_ADMIN_INSECURE";

    private static final String JSON = "application/json";
    private static final String BEARER = "bearer ";

    private final Optional<byte[]> tokenDigest;
    private final boolean insecure;

    /**
     * @param token    the bearer token, or empty: then the routes are not served unless {@code insecure}
     * @param insecure serve the routes without a token when none is given (a trusted network only)
     * @throws IllegalArgumentException if the token is shorter than {@value #MIN_TOKEN_LENGTH} characters or holds
     *                                  a space or a character that is not printable ASCII (never showing it)
     */
    public TokenGuard(Optional<String> token, boolean insecure) {
        token.ifPresent(given -> requireAllowed(given, "the admin token"));
        this.tokenDigest = token.map(given -> sha256(given.getBytes(StandardCharsets.UTF_8)));
        this.insecure = insecure;
    }

    /**
     * The rule every admin token follows, for a configuration that checks it before building the guard.
     *
     * @param token  a token
     * @param source what it came from, to start the message with (such as {@value #TOKEN_VARIABLE})
     * @throws IllegalArgumentException if it is shorter than {@value #MIN_TOKEN_LENGTH} characters or holds a space
     *                                  or a character that is not printable ASCII; the message never shows it
     */
    public static void requireAllowed(String token, String source) {
        if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(source + " is not allowed: use at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces (for example: openssl rand -hex 32)");
        }
    }

    /** @return true if a token is configured (the dashboard is served only then) */
    public boolean tokenConfigured() {
        return tokenDigest.isPresent();
    }

    /** @return true if the admin routes are served: a token is configured, or the insecure flag is set */
    public boolean served() {
        return tokenDigest.isPresent() || insecure;
    }

    /**
     * Lets an admin request through, or throws the problem to answer.
     *
     * @param ctx the exchange
     * @throws Problem 404 {@code admin-disabled} when the routes are not served, 401 {@code unauthorized} (with a
     *                 {@code WWW-Authenticate} challenge) without the right token, 415 for a mutating call whose
     *                 body is not JSON
     */
    public void check(Context ctx) {
        if (!served()) {
            throw disabled();
        }
        if (tokenDigest.isPresent()) {
            String header = ctx.header("Authorization");
            byte[] given = header != null && header.length() > BEARER.length()
                    && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            if (!MessageDigest.isEqual(sha256(given), tokenDigest.get())) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"hexbus-admin\"");
                throw Problem.of(401, "unauthorized", "Unauthorized",
                        "send the admin token as 'Authorization: Bearer <token>'");
            }
        }
        requireJson(ctx);
    }

    /** @return the 404 problem of a route that is off because no token is configured */
    static Problem disabled() {
        return Problem.of(404, "admin-disabled", "Admin API disabled", "the admin API is not served: set "
                + TOKEN_VARIABLE + " (or " + INSECURE_VARIABLE + "=true on a trusted network)");
    }

    /**
     * Mutating calls accept {@code application/json} only.
     *
     * @param ctx the exchange
     * @throws Problem 415 {@code unsupported-media-type} for a POST, PUT, PATCH or DELETE without that type
     */
    public static void requireJson(Context ctx) {
        HandlerType method = ctx.method();
        if (method == HandlerType.POST || method == HandlerType.DELETE || method == HandlerType.PUT
                || method == HandlerType.PATCH) {
            String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.equals(JSON)) {
                throw Problem.of(415, "unsupported-media-type", "Unsupported media type",
                        "send Content-Type: application/json");
            }
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** @return which access is configured, never the token */
    @Override
    public String toString() {
        return "TokenGuard[token=" + (tokenDigest.isPresent() ? "(set)" : "(unset)") + ", insecure=" + insecure + "]";
    }
}
