package io.hexbus.sample.archfixture;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transaction.UnitOfWork;

/**
 * Obeys {@code sampleNeverTouchesJdbcOrTheOutbox}: a use case that knows the two ports only.
 */
public class UseCaseInAUnitOfWork {
    UnitOfWork unitOfWork;
    EventBus eventBus;
}
