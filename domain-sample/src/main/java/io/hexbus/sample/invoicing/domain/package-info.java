/**
 * Invoicing's domain: the invoice aggregate, its rules and the events it raises. No framework types.
 */
package io.hexbus.sample.invoicing.domain;
