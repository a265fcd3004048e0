package io.hexbus.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hexbus.admin.http.AdminJson;
import io.hexbus.admin.http.Problem;
import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.event.EventName;
import io.hexbus.sample.identity.application.RequestVerificationUseCase;
import io.hexbus.sample.identity.application.SignUpUseCase;
import io.hexbus.sample.identity.domain.WelcomeEmailRequested;
import io.hexbus.sample.invoicing.application.IssueInvoiceUseCase;
import io.hexbus.sample.membership.application.ChangeMemberRoleUseCase;
import io.hexbus.sample.membership.application.InviteMemberUseCase;
import io.hexbus.sample.membership.application.JoinBusinessUseCase;
import io.hexbus.sample.membership.application.RemoveMemberUseCase;
import io.hexbus.sample.membership.domain.MemberRole;
import io.hexbus.sample.payments.application.CancelPaymentUseCase;
import io.hexbus.sample.payments.application.CheckOutUseCase;
import io.hexbus.sample.payments.application.ConfirmPaymentUseCase;
import io.hexbus.sample.payments.domain.CheckoutEmailRequested;
import io.hexbus.sample.shared.Money;
import io.hexbus.sample.shared.Refusal;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vavr.control.Either;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sample service's own HTTP API under {@value #PREFIX}: one route per use case of the domain sample (issue an
 * invoice, sign up, request a verification mail, invite, join, change a role, remove a member, check out, confirm or
 * cancel a payment). {@link AdminHttpServer#start(HttpSettings, java.util.Optional, java.util.function.IntSupplier,
 * java.util.Optional)} registers them when it is given an instance.
 *
 * <p>These are the "api" side of a service, not administration: they need no admin token. They keep the rest of
 * the server's posture: JSON bodies only ({@code Content-Type: application/json}, else 415), bodies of at most
 * {@value AdminHttpServer#MAX_BODY_BYTES} bytes, no CORS header. A missing, blank, wrongly typed or unknown field
 * is a 400 problem whose detail names the field; a refusal of the domain is a 404 (something named does not
 * exist), a 409 (a clash with the current state) or a 400 (input the domain rejects, its reasons in the detail);
 * a success is a 201 (something was created) or a 200, with the published event's id and name.
 */
public final class SampleHttpRoutes {

    private static final Logger log = LoggerFactory.getLogger(SampleHttpRoutes.class);

    /** The path prefix of every sample route. */
    public static final String PREFIX = "/api/v1/sample/";

    private final IssueInvoiceUseCase issueInvoice;
    private final SignUpUseCase signUp;
    private final RequestVerificationUseCase requestVerification;
    private final InviteMemberUseCase inviteMember;
    private final JoinBusinessUseCase joinBusiness;
    private final ChangeMemberRoleUseCase changeMemberRole;
    private final RemoveMemberUseCase removeMember;
    private final CheckOutUseCase checkOut;
    private final ConfirmPaymentUseCase confirmPayment;
    private final CancelPaymentUseCase cancelPayment;

    /**
     * @param issueInvoice        issues a draft invoice
     * @param signUp              creates an account
     * @param requestVerification sends a verification link
     * @param inviteMember        invites someone to a business
     * @param joinBusiness        makes someone a member
     * @param changeMemberRole    changes a member's role
     * @param removeMember        removes a member
     * @param checkOut            starts a payment
     * @param confirmPayment      records a payment's success
     * @param cancelPayment       cancels a payment
     */
    public SampleHttpRoutes(IssueInvoiceUseCase issueInvoice, SignUpUseCase signUp,
                            RequestVerificationUseCase requestVerification, InviteMemberUseCase inviteMember,
                            JoinBusinessUseCase joinBusiness, ChangeMemberRoleUseCase changeMemberRole,
                            RemoveMemberUseCase removeMember, CheckOutUseCase checkOut,
                            ConfirmPaymentUseCase confirmPayment, CancelPaymentUseCase cancelPayment) {
        this.issueInvoice = Objects.requireNonNull(issueInvoice, "issueInvoice");
        this.signUp = Objects.requireNonNull(signUp, "signUp");
        this.requestVerification = Objects.requireNonNull(requestVerification, "requestVerification");
        this.inviteMember = Objects.requireNonNull(inviteMember, "inviteMember");
        this.joinBusiness = Objects.requireNonNull(joinBusiness, "joinBusiness");
        this.changeMemberRole = Objects.requireNonNull(changeMemberRole, "changeMemberRole");
        this.removeMember = Objects.requireNonNull(removeMember, "removeMember");
        this.checkOut = Objects.requireNonNull(checkOut, "checkOut");
        this.confirmPayment = Objects.requireNonNull(confirmPayment, "confirmPayment");
        this.cancelPayment = Objects.requireNonNull(cancelPayment, "cancelPayment");
    }

    /** Registers the routes; the server's guards (media type, size) and error handlers apply to them. */
    void register(Javalin javalin, ObjectMapper mapper) {
        javalin.post(PREFIX + "invoices/{invoiceId}/issue", ctx -> {
            Body body = Body.read(ctx, mapper, "performedBy");
            String invoiceId = ctx.pathParam("invoiceId");
            Either<IssueInvoiceUseCase.Failure, ? extends DomainEvent> result =
                    issueInvoice.issue(invoiceId, body.text("performedBy"));
            if (result.isLeft()) {
                throw switch (result.getLeft()) {
                    case NOT_FOUND -> Problem.notFound("no invoice has the id '" + invoiceId + "'");
                    case ALREADY_ISSUED -> Problem.of(409, "conflict", "Refused", "the invoice was issued before");
                    case TOTAL_NOT_POSITIVE -> Problem.of(409, "conflict", "Refused",
                            "the invoice's total is not positive");
                };
            }
            published(ctx, mapper, 200, result.get(), Map.of());
        });
        javalin.post(PREFIX + "signups", ctx -> {
            Body body = Body.read(ctx, mapper, "email", "name");
            WelcomeEmailRequested event = orRefused(signUp.signUp(body.text("email"), body.text("name")));
            published(ctx, mapper, 201, event, Map.of("userId", event.userId()));
        });
        javalin.post(PREFIX + "accounts/{userId}/verification", ctx -> {
            Body.readOptional(ctx, mapper);
            published(ctx, mapper, 200, orRefused(requestVerification.request(ctx.pathParam("userId"))), Map.of());
        });
        javalin.post(PREFIX + "businesses/{businessId}/invitations", ctx -> {
            Body body = Body.read(ctx, mapper, "email", "role", "invitedBy");
            published(ctx, mapper, 201, orRefused(inviteMember.invite(ctx.pathParam("businessId"),
                    body.text("email"), body.role("role"), body.text("invitedBy"))), Map.of());
        });
        javalin.post(PREFIX + "businesses/{businessId}/members", ctx -> {
            Body body = Body.read(ctx, mapper, "email", "name");
            published(ctx, mapper, 201, orRefused(joinBusiness.join(ctx.pathParam("businessId"),
                    body.text("email"), body.text("name"))), Map.of());
        });
        javalin.put(PREFIX + "businesses/{businessId}/members/{email}/role", ctx -> {
            Body body = Body.read(ctx, mapper, "role", "changedBy");
            published(ctx, mapper, 200, orRefused(changeMemberRole.changeRole(ctx.pathParam("businessId"),
                    ctx.pathParam("email"), body.role("role"), body.text("changedBy"))), Map.of());
        });
        javalin.delete(PREFIX + "businesses/{businessId}/members/{email}", ctx -> {
            Body body = Body.read(ctx, mapper, "removedBy");
            published(ctx, mapper, 200, orRefused(removeMember.remove(ctx.pathParam("businessId"),
                    ctx.pathParam("email"), body.text("removedBy"))), Map.of());
        });
        javalin.post(PREFIX + "checkouts", ctx -> {
            Body body = Body.read(ctx, mapper, "email", "name", "item", "amount", "currency");
            Money amount = body.money("amount", "currency");
            CheckoutEmailRequested event = orRefused(checkOut.checkOut(body.text("email"), body.text("name"),
                    body.text("item"), amount));
            published(ctx, mapper, 201, event, Map.of("paymentId", event.paymentId()));
        });
        javalin.post(PREFIX + "payments/{paymentId}/success", ctx -> {
            Body body = Body.read(ctx, mapper, "confirmedBy");
            published(ctx, mapper, 200, orRefused(confirmPayment.paymentSucceeded(ctx.pathParam("paymentId"),
                    body.text("confirmedBy"))), Map.of());
        });
        javalin.post(PREFIX + "payments/{paymentId}/cancel", ctx -> {
            Body body = Body.read(ctx, mapper, "reason", "canceledBy");
            published(ctx, mapper, 200, orRefused(cancelPayment.cancel(ctx.pathParam("paymentId"),
                    body.text("reason"), body.text("canceledBy"))), Map.of());
        });
    }

    private static <E extends DomainEvent> E orRefused(Either<Refusal, E> result) {
        if (result.isRight()) {
            return result.get();
        }
        Refusal refusal = result.getLeft();
        String reasons = String.join("; ", refusal.reasons());
        throw switch (refusal.kind()) {
            case NOT_FOUND -> Problem.notFound(reasons);
            case CONFLICT -> Problem.of(409, "conflict", "Refused", reasons);
            case INVALID_INPUT -> Problem.of(400, "invalid-input", "Invalid input", reasons);
        };
    }

    private static void published(Context ctx, ObjectMapper mapper, int status, DomainEvent event,
                                  Map<String, Object> extra) {
        EventName name = event.getClass().getAnnotation(EventName.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", event.eventId());
        body.put("eventName", name == null ? event.getClass().getSimpleName() : name.value());
        body.put("occurredAt", event.occurredAt());
        body.putAll(extra);
        log.info("Sample API: {} {} published {} {}", ctx.method(), ctx.matchedPath(), body.get("eventName"),
                event.eventId());
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    /** A request's JSON object, checked against the fields a route takes. */
    private record Body(JsonNode json) {

        static void readOptional(Context ctx, ObjectMapper mapper) {
            byte[] bytes = bytes(ctx);
            if (bytes.length > 0) {
                JsonNode json = parse(bytes, mapper);
                if (!json.isObject() || json.size() > 0) {
                    throw Problem.badRequest("this route takes no fields: send no body or {}");
                }
            }
        }

        static Body read(Context ctx, ObjectMapper mapper, String... fields) {
            byte[] bytes = bytes(ctx);
            String expected = Arrays.stream(fields).map(f -> "\"" + f + "\"").collect(Collectors.joining(", "));
            if (bytes.length == 0) {
                throw Problem.badRequest("send a JSON object with " + expected);
            }
            JsonNode json = parse(bytes, mapper);
            if (!json.isObject()) {
                throw Problem.badRequest("send a JSON object with " + expected);
            }
            Set<String> allowed = Set.of(fields);
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw Problem.badRequest("unknown field '" + AdminJson.abbreviate(name)
                            + "': this route takes " + expected);
                }
            }
            Body body = new Body(json);
            for (String field : fields) {
                if (!field.equals("amount")) {
                    body.text(field);
                }
            }
            return body;
        }

        String text(String field) {
            JsonNode value = json.get(field);
            if (value == null || value.isNull()) {
                throw Problem.badRequest(field + " is required");
            }
            if (!value.isTextual()) {
                throw Problem.badRequest(field + " must be a string");
            }
            if (value.asText().isBlank()) {
                throw Problem.badRequest(field + " must not be blank");
            }
            return value.asText();
        }

        MemberRole role(String field) {
            String text = text(field);
            try {
                return MemberRole.valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw Problem.badRequest(field + " must be one of " + Arrays.toString(MemberRole.values()));
            }
        }

        Money money(String amountField, String currencyField) {
            JsonNode value = json.get(amountField);
            if (value == null || value.isNull()) {
                throw Problem.badRequest(amountField + " is required");
            }
            BigDecimal amount;
            if (value.isNumber()) {
                amount = value.decimalValue();
            } else if (value.isTextual() && !value.asText().isBlank()) {
                try {
                    amount = new BigDecimal(value.asText().trim());
                } catch (NumberFormatException notANumber) {
                    throw Problem.badRequest(amountField + " must be a decimal number, for example \"12.50\"");
                }
            } else {
                throw Problem.badRequest(amountField + " must be a decimal number, for example \"12.50\"");
            }
            if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2 || amount.precision() > 20) {
                throw Problem.badRequest(amountField + " must be positive, with at most two decimals");
            }
            String currency = text(currencyField);
            try {
                return new Money(amount, currency);
            } catch (IllegalArgumentException wrong) {
                throw Problem.badRequest(currencyField + " must be an ISO 4217 code of three capital letters");
            }
        }

        private static byte[] bytes(Context ctx) {
            try (InputStream in = ctx.req().getInputStream()) {
                byte[] bytes = in.readNBytes(AdminHttpServer.MAX_BODY_BYTES + 1);
                if (bytes.length > AdminHttpServer.MAX_BODY_BYTES) {
                    throw Problem.of(413, "body-too-large", "Request body too large",
                            "a request body may have at most " + AdminHttpServer.MAX_BODY_BYTES + " bytes");
                }
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static JsonNode parse(byte[] bytes, ObjectMapper mapper) {
            try {
                return mapper.readTree(bytes);
            } catch (IOException malformed) {
                throw Problem.badRequest("the body is not valid JSON");
            }
        }
    }
}
