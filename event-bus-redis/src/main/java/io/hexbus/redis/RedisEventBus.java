package io.hexbus.redis;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.DeliveryObserver;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.BatchSpansQueuesException;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.publishing.EventPublishingException;
import io.hexbus.api.publishing.PublishOptions;
import io.hexbus.api.publishing.PublishOutcome;
import io.hexbus.codec.EncodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * Publishes events to the Redis stream; obtained from {@link RedisTransport#eventBus()}.
 *
 * <p>{@code publishAll} is one atomic script call, one round trip: every event is encoded and checked
 * first (type registered, size within the limit), then the script appends the new ones and reports the
 * ones whose id was published within the dedupe window as duplicates. Each event goes to the named queue its name is
 * routed to ({@link RedisQueueSettings#routes()}); a call whose events go to several queues is refused whole with a
 * {@link io.hexbus.api.publishing.BatchSpansQueuesException}, since one script cannot write to several hash tags. The
 * call returns once Redis has accepted the write. Delayed delivery ({@link PublishOptions}) is supported, due on the
 * Redis clock. Handlers run later in the transport's workers; their failures never surface here.
 *
 * <p>While Redis is unreachable, calls fail at once or within the command timeout with an
 * {@link EventPublishingException} naming the server (never its password): commands are not buffered. Its
 * cause is a {@link TransportTimeoutException} when Redis did not answer within the command timeout, else a
 * {@link RedisUnavailableException}, also once the transport is closed; either wraps the client's error, if
 * there was one (a closed transport refuses without a command).
 * After a timeout the write may still have happened; publishing the same events again is safe, since their
 * ids make it idempotent. Thread-safe; concurrent publishers share one pipelined connection.
 */
public final class RedisEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(RedisEventBus.class);
    private static final int FIXED_KEYS = 4; // publish.lua's keys before the dedupe keys
    private static final int FIXED_ARGS = 3; // its arguments before the events'

    private final ScriptRunner scripts;
    private final Map<String, Keys> queues;
    private final RedisQueueSettings settings;
    private final EventCodec codec;
    private final String dedupeWindowMillis;
    private final String server;
    private final Clock clock;
    private final DomainEventsProcessor processor;
    private final RedisFailures failures;

    RedisEventBus(ScriptRunner scripts, Keys keys, EventCodec codec, RedisQueueSettings settings, String server,
                  Clock clock, DomainEventsProcessor processor, RedisFailures failures) {
        this.processor = processor;
        this.failures = failures;
        this.scripts = scripts;
        this.settings = settings;
        this.queues = queueKeys(keys, settings);
        this.codec = codec;
        this.dedupeWindowMillis = Long.toString(settings.dedupeWindow().toMillis());
        this.server = server;
        this.clock = clock;
    }

    /** The keys of every queue: the given ones for the default queue, the routed queues' from the settings. */
    private static Map<String, Keys> queueKeys(Keys defaultKeys, RedisQueueSettings settings) {
        Map<String, Keys> queues = new HashMap<>();
        queues.put(QueueNames.DEFAULT, defaultKeys);
        for (String queue : settings.queues()) {
            queues.computeIfAbsent(queue, q -> Keys.ofQueue(settings.keyPrefix(), q, settings.group()));
        }
        return Map.copyOf(queues);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each event goes to the named queue its name is routed to ({@link RedisQueueSettings#routes()}), and its id
     * is deduplicated within that queue. One call publishes to one queue: each queue has a hash tag of its own, so one
     * atomic script cannot write to two on Redis Cluster.
     *
     * @throws BatchSpansQueuesException if the events are routed to more than one queue, naming them: publish each
     *                                   queue's events with a call of its own (nothing is published)
     */
    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events) {
        return publishAll(events, PublishOptions.NOW);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A delayed batch is one script call too: the events are checked and deduplicated as an immediate batch
     * is, then wait in the bus's scheduled set, due by the Redis clock ({@code TIME}: a delay is added to it, an
     * instant compared with it), until a worker's poll appends them to the stream, each as an immediate publish
     * would have. Nothing holds a worker meanwhile, and they survive restarts as the stream does.
     */
    @Override
    public List<PublishOutcome> publishAll(List<? extends DomainEvent> events, PublishOptions options) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(options, "options");
        if (events.isEmpty()) {
            return List.of();
        }
        Instant publishedAt = clock.instant();
        List<EncodedEvent> encoded = codec.encodeAll(events, publishedAt, processor.tracing());
        Keys keys = queues.get(queueOf(encoded));
        String[] scriptKeys = new String[events.size() + FIXED_KEYS];
        String[] args = new String[events.size() * 3 + FIXED_ARGS];
        scriptKeys[0] = keys.stream();
        scriptKeys[1] = keys.busStats();
        scriptKeys[2] = keys.scheduled();
        scriptKeys[3] = keys.scheduledEnvelopes();
        args[0] = dedupeWindowMillis;
        args[1] = options.deliverAfter() == null ? "0" : Long.toString(options.deliverAfter().toMillis());
        args[2] = options.deliverAt() == null ? "" : Long.toString(options.deliverAt().toEpochMilli());
        for (int i = 0; i < encoded.size(); i++) {
            EncodedEvent e = encoded.get(i);
            String id = e.eventId().toString();
            scriptKeys[i + FIXED_KEYS] = keys.dedupe(id);
            args[3 * i + FIXED_ARGS] = id;
            args[3 * i + FIXED_ARGS + 1] = e.name();
            args[3 * i + FIXED_ARGS + 2] = e.json();
        }
        List<Object> results;
        try {
            results = failures.call("could not publish " + events.size() + " event(s) to Redis at " + server,
                    () -> scripts.run(Script.PUBLISH, scriptKeys, args));
        } catch (TransportUnavailableException e) {
            throw new EventPublishingException(e.getMessage(), e);
        }
        List<PublishOutcome> outcomes = new ArrayList<>(results.size());
        DeliveryObserver observer = processor.observer();
        for (int i = 0; i < results.size(); i++) {
            boolean duplicate = "".equals(results.get(i));
            observer.published(encoded.get(i).name(), encoded.get(i).eventId(), duplicate);
            outcomes.add(duplicate ? PublishOutcome.DUPLICATE : PublishOutcome.PUBLISHED);
            if (log.isDebugEnabled()) {
                log.debug("{} {} {}", duplicate ? "Duplicate" : "s".equals(results.get(i)) ? "Scheduled"
                        : "Published", encoded.get(i).name(),
                        encoded.get(i).eventId());
            }
        }
        return List.copyOf(outcomes);
    }

    /** The one queue a batch goes to; a batch routed to several is refused before anything is written. */
    private String queueOf(List<EncodedEvent> encoded) {
        String first = settings.queueOf(encoded.get(0).name());
        int i = 1;
        while (i < encoded.size() && first.equals(settings.queueOf(encoded.get(i).name()))) {
            i++;
        }
        if (i == encoded.size()) {
            return first; // the usual case, one queue: no map per publish (a share of publish's CPU in profiles)
        }
        Map<String, List<Integer>> parts = new TreeMap<>();
        for (int j = 0; j < encoded.size(); j++) {
            parts.computeIfAbsent(settings.queueOf(encoded.get(j).name()), q -> new ArrayList<>()).add(j);
        }
        if (parts.size() > 1) {
            throw new BatchSpansQueuesException("publishAll cannot publish to several queues at once: these events"
                    + " go to queues " + parts.keySet() + ", each a stream of its own (one atomic write per queue);"
                    + " publish each queue's events with a call of its own", parts);
        }
        return parts.keySet().iterator().next();
    }
}
