package io.hexbus.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads request bodies and writes JSON and problem documents, with one {@link ObjectMapper} whose read limits
 * (document length, nesting depth) keep a hostile body small. Thread-safe.
 */
public final class AdminJson {

    /** The largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** The media type of problem documents. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /**
     * The request attribute set once a problem is written, so that an app's own 404 handler does not replace a
     * problem a route answered.
     */
    public static final String PROBLEM_WRITTEN = "hexbus.problem-written";

    private static final String JSON = "application/json";

    private final ObjectMapper mapper;

    /** Builds the mapper: ISO-8601 times, trailing tokens refused, bounded reads. */
    public AdminJson() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxDocumentLength(MAX_BODY_BYTES).maxStringLength(MAX_BODY_BYTES).build());
    }

    /** @return the mapper, shared: do not reconfigure it */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param ctx    the exchange
     * @param status the status
     * @param body   what to write as JSON
     */
    public void write(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType(JSON);
        ctx.result(toJson(body));
    }

    /**
     * Answers a problem document and marks the request as answered ({@value #PROBLEM_WRITTEN}).
     *
     * @param ctx     the exchange
     * @param problem the problem
     */
    public void writeProblem(Context ctx, Problem problem) {
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(problem.status());
        ctx.contentType(PROBLEM_JSON);
        ctx.result(toJson(problem.body()));
    }

    /**
     * @param ctx the exchange
     * @return the body as JSON, or empty when there is none
     * @throws Problem 413 over {@value #MAX_BODY_BYTES} bytes, 400 when it is not JSON
     */
    Optional<JsonNode> readOptional(Context ctx) {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw Problem.bodyTooLarge(MAX_BODY_BYTES);
        }
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readTree(bytes));
        } catch (IOException malformed) {
            throw Problem.badRequest("the body is not valid JSON");
        }
    }

    /**
     * @param text a JSON document read from the store
     * @return it parsed, or the text itself when it is not JSON (a malformed entry is dead-lettered as it came)
     */
    Object treeOrText(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (IOException | RuntimeException notJson) {
            return text;
        }
    }

    private String toJson(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    /**
     * @param text text from a request
     * @return the text with its unprintable characters replaced, cut at 64 characters, for messages and logs
     */
    public static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
