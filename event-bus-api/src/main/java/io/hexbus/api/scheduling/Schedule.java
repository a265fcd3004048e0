package io.hexbus.api.scheduling;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When a recurring event fires: a cron expression in a time zone, or a fixed rate.
 *
 * <p>Ticks are points on the schedule, computed the same on every instance: a cron tick is a time the expression
 * matches in its zone; a fixed-rate tick is a whole multiple of the period since the epoch (1970-01-01T00:00Z), so
 * instances started at different times agree on every tick.
 *
 * <p>The cron flavour is Spring's six fields, seconds first: {@code second minute hour day-of-month month
 * day-of-week}, for example {@code 0 0 9 * * *} (daily at 09:00) or {@code 0 0/15 * * * MON-FRI}. The
 * implementation parses it when the schedule is registered and refuses a bad one there.
 */
public sealed interface Schedule {

    /**
     * A cron schedule.
     *
     * @param expression Spring-flavoured, six fields, seconds first
     * @param zone       the zone the expression's times are read in (09:00 in Europe/Paris follows its DST)
     * @return the schedule
     * @throws IllegalArgumentException if the expression is blank
     */
    static Schedule cron(String expression, ZoneId zone) {
        return new Cron(expression, zone);
    }

    /**
     * A fixed-rate schedule, anchored at the epoch.
     *
     * @param period the time between ticks: at least one millisecond, in whole milliseconds
     * @return the schedule
     * @throws IllegalArgumentException if the period is shorter than a millisecond or not whole milliseconds
     */
    static Schedule fixedRate(Duration period) {
        return new FixedRate(period);
    }

    /**
     * @return what this schedule is, for listings: the cron expression, or the period in ISO-8601
     */
    String description();

    /**
     * @return the zone its ticks are computed in; UTC for a fixed rate, which does not depend on one
     */
    ZoneId zone();

    /**
     * A cron schedule.
     *
     * @param expression the cron expression, Spring-flavoured (six fields, seconds first)
     * @param zone       the zone its times are read in
     */
    record Cron(String expression, ZoneId zone) implements Schedule {

        /**
         * Checks the components.
         *
         * @param expression see the record
         * @param zone see the record
         * @throws IllegalArgumentException if the expression is blank
         */
        public Cron {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(zone, "zone");
            if (expression.isBlank()) {
                throw new IllegalArgumentException("cron expression is blank");
            }
            expression = expression.trim();
        }

        @Override
        public String description() {
            return expression;
        }
    }

    /**
     * A fixed-rate schedule: a tick at every whole multiple of the period since the epoch.
     *
     * @param period the time between ticks, in whole milliseconds, at least one
     */
    record FixedRate(Duration period) implements Schedule {

        /**
         * Checks the components.
         *
         * @param period see the record
         * @throws IllegalArgumentException if the period is shorter than a millisecond or not whole milliseconds
         */
        public FixedRate {
            Objects.requireNonNull(period, "period");
            if (period.compareTo(Duration.ofMillis(1)) < 0 || period.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException("fixed-rate period " + period
                        + " must be at least 1 ms and in whole milliseconds");
            }
        }

        @Override
        public String description() {
            return period.toString();
        }

        @Override
        public ZoneId zone() {
            return ZoneId.of("UTC");
        }
    }
}
