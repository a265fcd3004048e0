package io.hexbus.redis;

import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the transport, one file each under {@code io/hexbus/redis/scripts/}; each file's
 * header lists its KEYS, ARGV and return value. A script's {@code --- @include "name"} lines are replaced by
 * the helpers in {@code scripts/includes/} when it is loaded (see {@link ScriptSource}); the expanded source is
 * what is sent, once, and then called by its SHA-1 digest.
 *
 * <p>A file named {@code name-N.lua} takes exactly N keys, checked against its source at load and against each
 * call (see {@link ScriptKeys}). {@code publish.lua} is the one variadic script: four keys, then one per event.
 */
enum Script {
    PUBLISH("publish.lua", ScriptOutputType.MULTI),
    COMPLETE("complete-2.lua", ScriptOutputType.MULTI),
    RESCHEDULE("reschedule-4.lua", ScriptOutputType.INTEGER),
    DEAD_LETTER("dead-letter-6.lua", ScriptOutputType.INTEGER),
    CLAIM_DUE("claim-due-3.lua", ScriptOutputType.MULTI),
    RELEASE_DUE("release-due-3.lua", ScriptOutputType.INTEGER),
    RECLAIM("reclaim-3.lua", ScriptOutputType.MULTI),
    RENEW("renew-1.lua", ScriptOutputType.MULTI),
    REPORT_ACTIVE("report-active-1.lua", ScriptOutputType.INTEGER),
    REPORT_ACTIVITY("report-activity-4.lua", ScriptOutputType.INTEGER),
    EVENT_PROGRESS("event-progress-7.lua", ScriptOutputType.MULTI),
    RETRY_DEAD_LETTER("retry-dead-letter-4.lua", ScriptOutputType.VALUE),
    CLEAN_DEAD_LETTERS("clean-dead-letters-2.lua", ScriptOutputType.INTEGER),
    REMOVE_DEAD_LETTER("remove-dead-letter-3.lua", ScriptOutputType.INTEGER),
    SNAPSHOT_DEAD_LETTERS("snapshot-dead-letters-2.lua", ScriptOutputType.INTEGER),
    RETRY_DEAD_LETTERS("retry-dead-letters-4.lua", ScriptOutputType.MULTI),
    TRIM("trim-1.lua", ScriptOutputType.INTEGER),
    ACQUIRE_PERMIT("acquire-permit-1.lua", ScriptOutputType.INTEGER);

    private final String file;
    private final ScriptOutputType output;
    private final String source;
    private final String digest;
    private final ScriptKeys keys;

    Script(String file, ScriptOutputType output) {
        this.file = file;
        this.output = output;
        this.source = ScriptSource.expanded("scripts/", file);
        this.digest = sha1(source);
        this.keys = ScriptKeys.of(file, source);
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

    ScriptKeys keys() {
        return keys;
    }

    static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
