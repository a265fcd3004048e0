/**
 * Use cases that reside in the sample's package as the rules see it, some breaking
 * {@code sampleNeverTouchesJdbcOrTheOutbox} and {@code onlyTheCompositionRootNamesTheOutbox} on purpose; test
 * classes, so never part of the main classes the rules check.
 */
package io.hexbus.sample.archfixture;
