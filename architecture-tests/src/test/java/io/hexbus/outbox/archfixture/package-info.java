/**
 * Classes that reside in the outbox's package as the rules see it, some breaking
 * {@code outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway} on purpose; test classes, so never part of the main
 * classes the rules check.
 */
package io.hexbus.outbox.archfixture;
