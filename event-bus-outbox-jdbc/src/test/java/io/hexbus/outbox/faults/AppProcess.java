package io.hexbus.outbox.faults;

import io.hexbus.api.testing.ChildJvms;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * An application JVM for the outbox fault tests, killed by them (SIGKILL). Prints {@value io.hexbus.api.testing.ChildJvms#READY} once running, then
 * stays until killed. Arguments, by mode:
 * <ul>
 *   <li>{@code commit <jdbc url> <file>}: use cases commit continuously through the outbox, no relay running;
 *       after each commit returns, its ids are appended to the file (one write per unit: what the kill leaves is
 *       whole lines).</li>
 *   <li>{@code relay <jdbc url> <key prefix> <hang after> <redis connection>}: a relay forwards the outbox to the
 *       Redis transport (the connection as {@link #redisArgs} writes it). Once it has forwarded {@code hang after}
 *       events, the next batch the transport accepts is not marked sent: the relay prints
 *       {@value #FORWARDED_NOT_MARKED} and the batch's size and hangs there, holding its rows, so that the test kills
 *       it between forward and mark.</li>
 * </ul>
 */
public final class AppProcess {

    /** The line printed when the relay hangs between a forward the transport accepted and its mark. */
    static final String FORWARDED_NOT_MARKED = "FORWARDED-NOT-MARKED";

    private AppProcess() {
    }

    /**
     * @param args the mode and its arguments
     */
    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[1]);
        EventTypeRegistry registry = new EventTypeRegistry().register(ShipmentDue.class);
        EventCodec codec = EventCodec.of(registry);
        switch (args[0]) {
            case "commit" -> commit(dataSource, codec, Path.of(args[2]));
            case "relay" -> relay(dataSource, codec, registry, args[2], Long.parseLong(args[3]), redis(args, 4));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.out.println(ChildJvms.READY); // a CLI main: its output is the test's file
        System.out.flush();
        new CountDownLatch(1).await(); // the committer's and relay's threads are daemons: stay until killed
    }

    private static void commit(PGSimpleDataSource dataSource, EventCodec codec, Path file) throws IOException {
        JdbcUnitOfWork units = new JdbcUnitOfWork(dataSource);
        OutboxEventBus outbox = new OutboxEventBus(units, codec, Clock.systemUTC());
        FileChannel committed = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        new Committer(units, outbox, 1, 4, 0, Duration.ofMillis(2), events -> {
            ByteBuffer lines = ByteBuffer.wrap(events.stream().map(e -> e.eventId() + "\n")
                    .collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8));
            try {
                while (lines.hasRemaining()) {
                    committed.write(lines);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * @param redis a Redis connection
     * @return it as arguments of this main: host, port, tls, user, password ({@code -} for none), database
     */
    static List<String> redisArgs(RedisConnectionSettings redis) {
        return List.of(redis.host(), Integer.toString(redis.port()), Boolean.toString(redis.tls()),
                redis.username() == null ? "-" : redis.username(), redis.password() == null ? "-" : redis.password(),
                Integer.toString(redis.database()));
    }

    private static RedisConnectionSettings redis(String[] args, int from) {
        return new RedisConnectionSettings(args[from], Integer.parseInt(args[from + 1]),
                Boolean.parseBoolean(args[from + 2]), args[from + 3].equals("-") ? null : args[from + 3],
                args[from + 4].equals("-") ? null : args[from + 4], Integer.parseInt(args[from + 5]));
    }

    private static void relay(PGSimpleDataSource dataSource, EventCodec codec, EventTypeRegistry registry,
                              String prefix, long hangAfter, RedisConnectionSettings redis) {
        RedisTransport transport = RedisTransport.connect(redis,
                RedisQueueSettings.defaults(OutboxFaults.GROUP).withKeyPrefix(prefix),
                new DomainEventsProcessor(registry));
        AtomicLong forwarded = new AtomicLong();
        EventBus target = events -> {
            List<PublishOutcome> outcomes = transport.eventBus().publishAll(events);
            if (forwarded.addAndGet(events.size()) > hangAfter) {
                System.out.println(FORWARDED_NOT_MARKED + " " + events.size());
                System.out.flush();
                LockSupport.park(); // accepted by the transport, not marked sent: as long as it takes to be killed
            }
            return outcomes;
        };
        new OutboxRelay(dataSource, codec, target, OutboxFaults.relaySettings("child-relay"), Clock.systemUTC())
                .start();
    }
}
