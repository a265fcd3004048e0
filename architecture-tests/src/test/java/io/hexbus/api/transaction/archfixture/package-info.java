/**
 * A port that resides in the transaction port's package as the rules see it and breaks {@code apiIsFreeOfJdbc} on
 * purpose; a test class, so never part of the main classes the rules check.
 */
package io.hexbus.api.transaction.archfixture;
