/**
 * Identity's use cases (sign up, request verification) and the account store they need.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.identity.application;
