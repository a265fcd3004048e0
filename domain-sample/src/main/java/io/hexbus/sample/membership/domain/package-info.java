/**
 * Membership's domain: a business, its members and their roles, its pending invitations, and the mails their
 * changes ask for (invitation, welcome to the business, role changed, removed).
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.membership.domain;
