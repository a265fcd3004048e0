package io.hexbus.api.transport;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionUriTest {

    private static final String SECRET = "S3cr3tPw";
    private static final ConnectionUri.Syntax SYNTAX = new ConnectionUri.Syntax("BROKER_URL", "broker URI",
            List.of("brk", "brks"), "brk://[user:password@]host[:port][/path]", "BROKER_PASSWORD");

    private static String refusal(String uri) {
        return assertThrows(IllegalArgumentException.class, () -> SYNTAX.parse(uri), uri).getMessage();
    }

    private static void assertNoSecret(String message) {
        assertFalse(message.contains(SECRET), () -> "the password shows in: " + message);
    }

    @Test
    void splitsEveryPartLeavingUserInfoAndPathEncoded() {
        ConnectionUri uri = SYNTAX.parse("brks://app:p%40ss@broker.example:5671/a%2Fb");

        assertEquals(new ConnectionUri("brks", "app:p%40ss", "broker.example", OptionalInt.of(5671), "a%2Fb"), uri);
        assertEquals("p@ss", SYNTAX.decode("p%40ss", "password"));
    }

    @Test
    void aMissingPortUserOrPathIsEmpty() {
        ConnectionUri uri = SYNTAX.parse("brk://broker.example");

        assertNull(uri.userInfo());
        assertEquals(OptionalInt.empty(), uri.port());
        assertEquals("", uri.path());
        assertEquals("", SYNTAX.parse("brk://broker.example/").path());
    }

    @Test
    void reservedCharactersInThePasswordArePercentEncodedAndDecoded() {
        String reserved = "/?#[]@%: !$&'()*+,;=é";
        String encoded = "%2F%3F%23%5B%5D%40%25:%20!$&'()*+,;=%C3%A9";

        ConnectionUri uri = SYNTAX.parse("brk://user:" + encoded + "@h:1");

        assertEquals("user:" + encoded, uri.userInfo());
        assertEquals(reserved, SYNTAX.decode(encoded, "password"));
        assertEquals("h", uri.host());
    }

    @Test
    void aRawReservedCharacterInThePasswordIsRefusedWithoutQuotingTheUriOrThePassword() {
        for (String raw : List.of("#", "?", "/", "@", "[", "%", " ")) {
            String message = refusal("brk://user:" + SECRET + raw + "x@broker.example:1");

            assertTrue(message.startsWith("BROKER_URL is not a valid broker URI: its user name or password holds a"
                    + " character that must be percent-encoded"), message);
            assertTrue(message.endsWith("or set the password in BROKER_PASSWORD instead"), message);
            assertNoSecret(message);
            assertFalse(message.contains("broker.example"), message);
        }
    }

    @Test
    void anIpv6HostIsWrittenInBracketsAndReadWithout() {
        ConnectionUri uri = SYNTAX.parse("brk://u:" + SECRET + "@[::1]:5672/v");

        assertEquals("::1", uri.host());
        assertEquals(OptionalInt.of(5672), uri.port());
        assertEquals(OptionalInt.empty(), SYNTAX.parse("brk://[fe80::1]").port());
        assertEquals("brk://u:***@[::1]:5672/v", uri.toString());
        assertTrue(refusal("brk://[::1").endsWith("an IPv6 address in brackets has no ']'"));
        assertTrue(refusal("brk://[::1]x").endsWith("after the IPv6 address comes ':' and the port, or nothing"));
        assertTrue(refusal("brk://[nothex::1]").endsWith("the host is not an IPv6 address"));
        assertTrue(refusal("brk://::1").endsWith("the host is missing"));
    }

    @Test
    void aBadHostPortSchemeOrQueryIsRefusedNamingTheVariable() {
        assertEquals("BROKER_URL brk://u:***@h:0 is not a valid broker URI: the port must be a number from 1 to 65535",
                refusal("brk://u:" + SECRET + "@h:0"));
        assertTrue(refusal("brk://h:").endsWith("the port must be a number from 1 to 65535"));
        assertTrue(refusal("brk://h:65536").endsWith("the port must be a number from 1 to 65535"));
        assertTrue(refusal("brk://@:1").endsWith("the host is missing"));
        assertTrue(refusal("brk://bad_-.-host").endsWith("the host is not a host name or an IPv4 address (write an"
                + " IPv6 address in brackets)"));
        assertTrue(refusal("brk://h/p?x=1").endsWith("a query or fragment is not read; use"
                + " brk://[user:password@]host[:port][/path]"));
        assertEquals("BROKER_URL must start with brk:// or brks://, got http://u:***@h",
                refusal("http://u:" + SECRET + "@h"));
    }

    @Test
    void badPercentEscapesAreRefusedWithoutQuotingTheText() {
        for (String bad : List.of(SECRET + "%", SECRET + "%4", SECRET + "%zz")) {
            String message = assertThrows(IllegalArgumentException.class, () -> SYNTAX.decode(bad, "password"))
                    .getMessage();

            assertEquals("BROKER_URL is not a valid broker URI: its password holds a % not followed by two hex digits"
                    + " (write % as %25)", message);
        }
        String notUtf8 = assertThrows(IllegalArgumentException.class, () -> SYNTAX.decode("%C3" + SECRET, "password"))
                .getMessage();
        assertEquals("BROKER_URL is not a valid broker URI: its percent-encoded password is not UTF-8", notUtf8);
        assertTrue(refusal("brk://user:" + SECRET + "%zz@h").contains("must be percent-encoded"));
    }

    @Test
    void hostsAreCheckedWithoutDns() {
        for (String host : List.of("localhost", "a.b-c.example.", "my_host", "10.0.0.1", "::1", "[::1]",
                "::ffff:10.0.0.1")) {
            assertTrue(ConnectionUri.isHost(host), host);
        }
        for (String host : List.of("", "256.0.0.1", "1.2.3", "-a", "a..b", "[::1", "no such host", "1:2")) {
            assertFalse(ConnectionUri.isHost(host), host);
        }
    }

    @Test
    void redactHidesThePasswordWhateverItHolds() {
        assertEquals("brk://user:***@h", ConnectionUri.redact("brk://user:p@ss:w@h"));
        assertEquals("brk://***@h", ConnectionUri.redact("brk://" + SECRET + "@h"));
        assertEquals("brk://h:1", ConnectionUri.redact("brk://h:1"));
        // Without a ':' the user information may be a password alone (redis://password@host): all of it goes.
        assertEquals("brk://***@h", SYNTAX.parse("brk://" + SECRET + "@h").toString());
    }
}
