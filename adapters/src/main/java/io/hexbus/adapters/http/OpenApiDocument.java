package io.hexbus.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI document {@code GET /openapi.json} answers, read once from the classpath. */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /**
     * @param mapper     reads and writes the documents
     * @param withSample whether the sample routes are served, so listed
     * @return the document, with the sample routes' paths and schemas when they are served
     */
    static String of(ObjectMapper mapper, boolean withSample) {
        String document = resource("openapi.json");
        if (!withSample) {
            return document;
        }
        try {
            ObjectNode root = (ObjectNode) mapper.readTree(document);
            JsonNode sampleDocument = mapper.readTree(resource("openapi-sample.json"));
            ((ObjectNode) root.get("paths")).setAll((ObjectNode) sampleDocument.get("paths"));
            ((ObjectNode) root.get("components").get("schemas"))
                    .setAll((ObjectNode) sampleDocument.get("components").get("schemas"));
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
