package io.hexbus.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code hexbus.admin.token} (or {@code HEXBUS_ADMIN_TOKEN}) holds more than blanks: without a token
 * the admin API is not mounted at all.
 */
final class HexbusAdminTokenCondition extends SpringBootCondition {

    static final String TOKEN = "hexbus.admin.token";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        // Environment variables are found by their relaxed name too (HEXBUS_ADMIN_TOKEN).
        String token = context.getEnvironment().getProperty(TOKEN);
        return token == null || token.isBlank()
                ? ConditionOutcome.noMatch(TOKEN + " (HEXBUS_ADMIN_TOKEN) is not set")
                : ConditionOutcome.match(TOKEN + " (HEXBUS_ADMIN_TOKEN) is set");
    }
}
