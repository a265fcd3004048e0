package io.hexbus.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hexbus.adapters.http.AdminHttpServer;
import io.hexbus.adapters.http.HttpSettings;
import io.hexbus.sample.identity.domain.VerificationEmailRequested;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.invoicing.domain.Invoice;
import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.sample.membership.domain.Business;
import io.hexbus.sample.membership.domain.InvitationEmailRequested;
import io.hexbus.sample.membership.domain.Member;
import io.hexbus.sample.membership.domain.MemberRemovedEmailRequested;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.membership.domain.MemberWelcomeEmailRequested;
import io.hexbus.sample.membership.domain.RoleChangedEmailRequested;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.payments.domain.Payment;
import io.hexbus.sample.payments.domain.PaymentCanceledEmailRequested;
import io.hexbus.sample.payments.domain.PaymentSucceededEmailRequested;
import io.hexbus.sample.shared.Money;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample service's HTTP API ({@code /api/v1/sample/...}) on the in-memory transport, wired by Guice as the app
 * wires it, through a real HTTP client against the running server: every route's success (its event published,
 * seen as the mail its handler sent to GreenMail), refusals of the domain (404, 409), the validation that names the
 * field (400), and the server's posture (no token needed, JSON only, the admin routes still guarded).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class SampleHttpApiTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WiredApp app;
    private SampleService sample;
    private AdminHttpServer server;

    @BeforeEach
    void start() {
        app = WiredApp.inMemory(Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "MAIL_FROM", "hexbus sample <no-reply@hexbus.example>"));
        sample = app.sample();
        sample.invoices.save(Invoice.draft("inv-1", "2026-0001", "company-9", "billing@company9.example",
                "store-3", Money.of("120.50", "EUR")));
        sample.businesses.save(new Business("biz-1", "Acme Bakery",
                new Member("olivia@acme.example", "Olivia", MemberRole.OWNER)));
        sample.payments.save(new Payment("pay-0", "dan@example.com", "Dan", "Monthly plan", Money.of("4.90", "EUR")));
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.empty(), () -> 0, Optional.of(sample.httpRoutes()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        app.close();
    }

    @Test
    void everyRouteDrivesItsUseCaseAndItsEventIsPublished() throws Exception {
        JsonNode issued = assertPublished(send("POST", "/invoices/inv-1/issue", "{\"performedBy\":\"user-42\"}"),
                200, InvoiceIssued.NAME, "billing@company9.example", "Invoice 2026-0001: 120.50 EUR due");
        assertEquals(1, sample.auditLog.entries().size());
        assertTrue(sample.auditLog.entries().get(0).toString().contains(issued.path("eventId").asText()),
                () -> sample.auditLog.entries().toString());

        JsonNode signedUp = assertPublished(send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"),
                201, WelcomeEmailRequested.NAME, "ada@example.com", "Welcome, Ada");
        String userId = signedUp.path("userId").asText();
        assertFalse(userId.isBlank(), signedUp::toString);
        assertPublished(send("POST", "/accounts/" + userId + "/verification", ""), 200,
                VerificationEmailRequested.NAME, "ada@example.com", "Confirm your email address");

        assertPublished(send("POST", "/businesses/biz-1/invitations",
                        "{\"email\":\"ines@example.com\",\"role\":\"admin\",\"invitedBy\":\"Olivia\"}"), 201,
                InvitationEmailRequested.NAME, "ines@example.com", "Olivia invited you to join Acme Bakery");
        assertPublished(send("POST", "/businesses/biz-1/members", "{\"email\":\"ines@example.com\",\"name\":\"Ines\"}"),
                201, MemberWelcomeEmailRequested.NAME, "ines@example.com", "Welcome to Acme Bakery");
        assertPublished(send("PUT", "/businesses/biz-1/members/ines@example.com/role",
                        "{\"role\":\"MEMBER\",\"changedBy\":\"Olivia\"}"), 200, RoleChangedEmailRequested.NAME,
                "ines@example.com", "Your role in Acme Bakery is now member");
        assertPublished(send("DELETE", "/businesses/biz-1/members/ines@example.com", "{\"removedBy\":\"Olivia\"}"),
                200, MemberRemovedEmailRequested.NAME, "ines@example.com", "You were removed from Acme Bakery");

        JsonNode checkedOut = assertPublished(send("POST", "/checkouts", "{\"email\":\"carla@example.com\","
                        + "\"name\":\"Carla\",\"item\":\"Annual plan\",\"amount\":\"49.90\",\"currency\":\"EUR\"}"), 201,
                CheckoutEmailRequested.NAME, "carla@example.com", "Complete your payment of 49.90 EUR");
        String paymentId = checkedOut.path("paymentId").asText();
        assertPublished(send("POST", "/payments/" + paymentId + "/success", "{\"confirmedBy\":\"psp-webhook\"}"), 200,
                PaymentSucceededEmailRequested.NAME, "carla@example.com", "Payment received: 49.90 EUR");
        assertPublished(send("POST", "/payments/pay-0/cancel",
                        "{\"reason\":\"The card was declined.\",\"canceledBy\":\"psp-webhook\"}"), 200,
                PaymentCanceledEmailRequested.NAME, "dan@example.com", "Payment canceled: Monthly plan");

        assertEquals(10, greenMail.getReceivedMessages().length);
    }

    @Test
    void refusalsOfTheDomainAre404Or409AndPublishNothing() {
        assertTrue(sample.issueInvoice.issue("inv-1", "user-42").isRight());
        int mails = greenMail.getReceivedMessages().length;

        assertRefused(send("POST", "/invoices/inv-1/issue", "{\"performedBy\":\"user-42\"}"), 409, "conflict",
                "issued before");
        assertRefused(send("POST", "/invoices/inv-404/issue", "{\"performedBy\":\"user-42\"}"), 404, "not-found",
                "inv-404");
        assertRefused(send("POST", "/accounts/user-404/verification", "{}"), 404, "not-found", "no user account");
        assertRefused(send("POST", "/businesses/biz-404/invitations",
                "{\"email\":\"ines@example.com\",\"role\":\"ADMIN\",\"invitedBy\":\"Olivia\"}"), 404, "not-found", "");
        assertRefused(send("POST", "/businesses/biz-1/invitations",
                        "{\"email\":\"ines@example.com\",\"role\":\"OWNER\",\"invitedBy\":\"Olivia\"}"), 409, "conflict",
                "nobody can be invited as owner");
        assertRefused(send("POST", "/businesses/biz-1/members", "{\"email\":\"x@example.com\",\"name\":\"X\"}"), 404,
                "not-found", "no pending invitation");
        assertRefused(send("PUT", "/businesses/biz-1/members/olivia@acme.example/role",
                "{\"role\":\"ADMIN\",\"changedBy\":\"Olivia\"}"), 409, "conflict", "ownership");
        assertRefused(send("DELETE", "/businesses/biz-1/members/nobody@example.com", "{\"removedBy\":\"Olivia\"}"),
                404, "not-found", "no member");
        assertRefused(send("POST", "/payments/pay-404/success", "{\"confirmedBy\":\"psp\"}"), 404, "not-found", "");
        assertRefused(send("POST", "/signups", "{\"email\":\"not-an-address\",\"name\":\"Ada\"}"), 400,
                "invalid-input", "email");
        assertTrue(send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}").statusCode() == 201);
        assertRefused(send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"), 409, "conflict",
                "exists");

        assertEquals(mails + 1, greenMail.getReceivedMessages().length, "only the one successful sign-up mailed");
    }

    @Test
    void anIllegalStateExceptionThatIsNoTransportFailureIsA500NotA503() throws Exception {
        // An observer with a bug: it throws inside publish, as any bug of the app's own code could.
        app.injector.getInstance(io.hexbus.api.handling.DomainEventsProcessor.class).addObserver(
                new io.hexbus.api.handling.DeliveryObserver() {
                    @Override
                    public void published(String eventName, UUID eventId, boolean duplicate) {
                        throw new IllegalStateException("an observer's bug");
                    }
                });

        assertRefused(send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"), 500,
                "internal", "server log");
        assertEquals(0, greenMail.getReceivedMessages().length, "nothing was delivered");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> names {3}")
    @CsvSource(delimiter = '|', textBlock = """
            POST   | /invoices/inv-1/issue          | {}                                               | performedBy
            POST   | /invoices/inv-1/issue          | {"performedBy":"  "}                             | performedBy
            POST   | /invoices/inv-1/issue          | {"performedBy":42}                               | performedBy
            POST   | /invoices/inv-1/issue          | {"performedBy":"a","admin":true}                 | admin
            POST   | /signups                       | {"email":"ada@example.com"}                      | name
            POST   | /signups                       | {"email":["ada@example.com"],"name":"Ada"}       | email
            POST   | /signups                       | {"email":null,"name":"Ada"}                      | email
            POST   | /accounts/u-1/verification     | {"force":true}                                   | no fields
            POST   | /businesses/biz-1/invitations  | {"email":"i@example.com","invitedBy":"O"}        | role
            POST   | /businesses/biz-1/invitations  | {"email":"i@example.com","role":"BOSS","invitedBy":"O"} | role
            POST   | /businesses/biz-1/members      | {"email":"i@example.com","name":{}}              | name
            PUT    | /businesses/biz-1/members/i@example.com/role | {"role":"ADMIN"}                   | changedBy
            DELETE | /businesses/biz-1/members/i@example.com      | {"removedBy":""}                   | removedBy
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","currency":"EUR"} | amount
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","amount":"lots","currency":"EUR"} | amount
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","amount":true,"currency":"EUR"} | amount
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","amount":-5,"currency":"EUR"} | amount
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","amount":"4.999","currency":"EUR"} | amount
            POST   | /checkouts                     | {"email":"c@example.com","name":"C","item":"I","amount":4.5,"currency":"euro"} | currency
            POST   | /payments/pay-0/success        | {"confirmedBy":1}                                | confirmedBy
            POST   | /payments/pay-0/cancel         | {"canceledBy":"Dan"}                             | reason
            """)
    void aBadFieldIsA400NamingItAndPublishesNothing(String method, String path, String body, String field) {
        JsonNode problem = assertProblem(send(method, path, body), 400, "bad-request");

        assertTrue(problem.path("detail").asText().contains(field), problem::toString);
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsA400() {
        assertProblem(send("POST", "/signups", ""), 400, "bad-request");
        assertProblem(send("POST", "/signups", "[1]"), 400, "bad-request");
        assertProblem(send("POST", "/signups", "{\"email\":"), 400, "bad-request");
    }

    @Test
    void theSampleRoutesNeedNoTokenButJsonOnly() {
        HttpResponse<String> plain = send(request("/api/v1/sample/signups").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\",\"name\":\"Ada\"}")));
        assertProblem(plain, 415, "unsupported-media-type");
        HttpResponse<String> none = send(request("/api/v1/sample/accounts/u-1/verification")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(none, 415, "unsupported-media-type");
        assertEquals(201, send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}").statusCode());
    }

    @Test
    void noCorsHeaderAndABodyTooLargeIs413() {
        HttpResponse<String> response = send(request("/api/v1/sample/signups").header("Content-Type", "application/json")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + "a".repeat(20_000) + "\"}")));
        assertProblem(response, 413, "body-too-large");
        assertTrue(response.headers().map().keySet().stream()
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-")), () -> response.headers().toString());
    }

    @Test
    void theAdminRoutesStillNeedTheTokenEvenThroughTheSamplePrefix() {
        assertProblem(send(request("/api/v1/queues/stats")), 401, "unauthorized");
        assertProblem(send(request("/api/v1/sample/../queues/stats")), 401, "unauthorized");
        assertProblem(send(request("/api/v1/sample/%2e%2e/queues/stats")), 401, "unauthorized");
        assertProblem(send(request("/api/v1/sample/x/..%2f..%2fqueues/stats")), 401, "unauthorized");
    }

    @Test
    void theOpenApiDocumentListsEverySampleRouteAndEachExists() {
        HttpResponse<String> response = send(request("/openapi.json"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode paths = json(response).path("paths");
        assertTrue(json(response).path("components").path("schemas").has("PublishedEvent"));

        int operations = 0;
        for (var path = paths.properties().iterator(); path.hasNext(); ) {
            var entry = path.next();
            if (!entry.getKey().startsWith("/api/v1/sample/")) {
                continue;
            }
            for (var operation = entry.getValue().fieldNames(); operation.hasNext(); ) {
                String method = operation.next().toUpperCase(java.util.Locale.ROOT);
                String route = entry.getKey().replaceAll("\\{[^}]+}", "x");
                HttpResponse<String> answer = send(request(route).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")));
                assertFalse(answer.body().contains("no such route"), method + " " + route + ": " + answer.body());
                assertTrue(answer.statusCode() == 400 || answer.statusCode() == 404,
                        method + " " + route + ": " + answer.statusCode());
                operations++;
            }
        }
        assertEquals(10, operations);
    }

    @Test
    void anUnknownSampleRouteIs404() {
        assertProblem(send("GET", "/signups", ""), 404, "not-found");
        assertProblem(send("POST", "/nothing-here", "{}"), 404, "not-found");
    }

    @Test
    void withoutTheSampleRoutesTheirPathsAreGuardedLikeTheAdminApi() {
        server.close();
        server = AdminHttpServer.start(new HttpSettings(true, "127.0.0.1", 0, Optional.of(TOKEN), false),
                Optional.empty(), () -> 0);
        assertProblem(send("POST", "/signups", "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"), 401,
                "unauthorized");
    }

    private JsonNode assertPublished(HttpResponse<String> response, int status, String eventName, String recipient,
                                     String subject) throws Exception {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode body = json(response);
        assertEquals(eventName, body.path("eventName").asText(), response::body);
        UUID.fromString(body.path("eventId").asText());
        MimeMessage[] received = greenMail.getReceivedMessages();
        MimeMessage last = received[received.length - 1];
        assertEquals(recipient, last.getAllRecipients()[0].toString());
        assertEquals(subject, last.getSubject());
        return body;
    }

    private static void assertRefused(HttpResponse<String> response, int status, String type, String inDetail) {
        JsonNode problem = assertProblem(response, status, type);
        assertTrue(problem.path("detail").asText().contains(inDetail), problem::toString);
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0], response::body);
        JsonNode problem = json(response);
        assertEquals("urn:hexbus:problem:" + type, problem.path("type").asText(), response::body);
        assertFalse(problem.path("detail").asText().isBlank(), response::body);
        return problem;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(String method, String samplePath, String body) {
        return send(request("/api/v1/sample" + samplePath).header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
