package io.hexbus.redis;

import io.lettuce.core.ScriptOutputType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the transport, one file each under {@code io/hexbus/redis/scripts/}; each file's
 * header lists its KEYS, ARGV and return value. Each is sent once and then called by its SHA-1 digest.
 */
enum Script {
    PUBLISH("publish.lua", ScriptOutputType.MULTI),
    COMPLETE("complete-2.lua", ScriptOutputType.MULTI),
    RESCHEDULE("reschedule-4.lua", ScriptOutputType.INTEGER),
    DEAD_LETTER("dead-letter-6.lua", ScriptOutputType.INTEGER),
    CLAIM_DUE("claim-due-3.lua", ScriptOutputType.MULTI),
    RECLAIM("reclaim-3.lua", ScriptOutputType.MULTI),
    RENEW("renew-1.lua", ScriptOutputType.MULTI),
    REPORT_ACTIVE("report-active-1.lua", ScriptOutputType.INTEGER),
    RETRY_DEAD_LETTER("retry-dead-letter-4.lua", ScriptOutputType.VALUE),
    CLEAN_DEAD_LETTERS("clean-dead-letters-2.lua", ScriptOutputType.INTEGER),
    REMOVE_DEAD_LETTER("remove-dead-letter-3.lua", ScriptOutputType.INTEGER),
    SNAPSHOT_DEAD_LETTERS("snapshot-dead-letters-2.lua", ScriptOutputType.INTEGER),
    RETRY_DEAD_LETTERS("retry-dead-letters-4.lua", ScriptOutputType.MULTI),
    TRIM("trim-1.lua", ScriptOutputType.INTEGER);

    private final String file;
    private final ScriptOutputType output;
    private final String source;
    private final String digest;

    Script(String file, ScriptOutputType output) {
        this.file = file;
        this.output = output;
        this.source = load(file);
        this.digest = sha1(source);
    }

    String file() {
        return file;
    }

    ScriptOutputType output() {
        return output;
    }

    String source() {
        return source;
    }

    String digest() {
        return digest;
    }

    private static String load(String file) {
        try (InputStream in = Script.class.getResourceAsStream("scripts/" + file)) {
            if (in == null) {
                throw new IllegalStateException("script " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + file, e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
