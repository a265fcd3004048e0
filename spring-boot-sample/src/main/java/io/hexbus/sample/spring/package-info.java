/**
 * The sample's invoicing and its invoice mail as a Spring Boot application: the use case and the domain handlers of
 * {@code domain-sample}, wired as beans on the hexbus starter.
 */
package io.hexbus.sample.spring;
