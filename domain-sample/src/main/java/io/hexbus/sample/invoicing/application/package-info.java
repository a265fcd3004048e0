/**
 * Invoicing's use cases and event handlers, and the ports they need (repository, audit log).
 */
package io.hexbus.sample.invoicing.application;
