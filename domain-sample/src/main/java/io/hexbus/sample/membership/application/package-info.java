/**
 * Membership's use cases (invite, join, change role, remove) and the business store they need.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.membership.application;
