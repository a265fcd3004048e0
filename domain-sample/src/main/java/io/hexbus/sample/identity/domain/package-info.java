/**
 * Identity's domain: user accounts and the mails their life asks for (welcome, address verification).
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.identity.domain;
