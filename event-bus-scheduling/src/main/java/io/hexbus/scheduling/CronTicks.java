package io.hexbus.scheduling;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.hexbus.api.scheduling.Schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The ticks of a cron expression in its zone, computed by cron-utils with Spring's (5.3) definition: six fields,
 * seconds first. Ticks fall on whole seconds.
 */
final class CronTicks implements TickSource {

    // Immutable once built: one parser for every expression.
    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ExecutionTime executionTime;
    private final ZoneId zone;

    private CronTicks(String expression, ExecutionTime executionTime, ZoneId zone) {
        this.expression = expression;
        this.executionTime = executionTime;
        this.zone = zone;
    }

    static CronTicks parse(Schedule.Cron cron) {
        ExecutionTime executionTime;
        try {
            executionTime = ExecutionTime.forCron(PARSER.parse(cron.expression()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression '" + cron.expression() + "': "
                    + e.getMessage() + " (expected six fields, seconds first, as Spring's: e.g. '0 0 9 * * *')", e);
        }
        return new CronTicks(cron.expression(), executionTime, cron.zone());
    }

    @Override
    public Optional<Instant> nextAfter(Instant instant) {
        // Whole seconds: the next execution after the second that holds the instant is strictly after it.
        ZonedDateTime from = instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
        return executionTime.nextExecution(from).map(ZonedDateTime::toInstant).filter(t -> t.isAfter(instant));
    }

    @Override
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        ZonedDateTime second = instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
        if (executionTime.isMatch(second)) {
            return Optional.of(second.toInstant());
        }
        return executionTime.lastExecution(second).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return "cron '" + expression + "' in " + zone;
    }
}
