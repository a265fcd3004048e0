package io.hexbus.sample.archfixture;

import io.hexbus.outbox.JdbcUnitOfWork;

/**
 * Breaks {@code sampleNeverTouchesJdbcOrTheOutbox} and {@code onlyTheCompositionRootNamesTheOutbox}: a use case that
 * asks for the outbox's unit of work instead of the {@code UnitOfWork} port.
 */
public class UseCaseThatNamesTheOutbox {
    JdbcUnitOfWork unitOfWork;
}
