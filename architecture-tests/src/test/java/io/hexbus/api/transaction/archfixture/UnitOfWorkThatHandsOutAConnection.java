package io.hexbus.api.transaction.archfixture;

import java.sql.Connection;

/**
 * Breaks {@code apiIsFreeOfJdbc}: a transaction port that hands its connection to the use case, so no store but a
 * JDBC one could implement it.
 */
public interface UnitOfWorkThatHandsOutAConnection {

    /** @return the unit's connection */
    Connection connection();
}
