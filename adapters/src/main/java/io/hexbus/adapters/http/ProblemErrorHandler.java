package io.hexbus.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.admin.http.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Jetty's error handler, replaced so that the errors Jetty answers by itself, before any route runs (a request it
 * cannot parse, a path holding {@code %00}, a URL or headers over 8 KiB, an HTTP version it does not speak), are
 * {@code application/problem+json} documents like every other error of the server, instead of Jetty's HTML page.
 * The detail is fixed per status: Jetty's own reason can quote the request, so it is never repeated.
 */
final class ProblemErrorHandler extends ErrorHandler {

    static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper mapper;

    ProblemErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A request Jetty could not parse or accept: answered from the connection, without any handler. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        return ByteBuffer.wrap(json(problemFor(status)));
    }

    /** An error Jetty answers for a request it parsed (a rejected URI, an exception no route handled). */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message)
            throws IOException {
        byte[] body = json(problemFor(code));
        baseRequest.setHandled(true);
        response.setContentType(PROBLEM_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * @param status an HTTP error status
     * @return the problem the server answers for it when Jetty, not a route, sends it
     */
    static Problem problemFor(int status) {
        return switch (status) {
            case 400 -> Problem.badRequest("the request is not valid HTTP, or its path holds a character that is not"
                    + " allowed (such as %00)");
            case 404 -> Problem.notFound("no such route");
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", "this method is not allowed here");
            case 408 -> Problem.of(408, "request-timeout", "Request timeout", "the request did not arrive in time");
            case 413 -> Problem.bodyTooLarge(AdminHttpServer.MAX_BODY_BYTES);
            case 414 -> Problem.of(414, "uri-too-long", "URI too long",
                    "the request line may have at most 8 KiB");
            case 431 -> Problem.of(431, "headers-too-large", "Request header fields too large",
                    "the request's headers may have at most 8 KiB");
            case 505 -> Problem.of(505, "http-version-not-supported", "HTTP version not supported", "use HTTP/1.1");
            default -> status >= 500
                    ? Problem.of(status, status == 500 ? "internal" : "http-" + status, "HTTP " + status,
                    "see the server log")
                    : Problem.of(status, "http-" + status, "HTTP " + status, "the request cannot be served");
        };
    }

    private byte[] json(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }
}
