package io.hexbus.kafka;

import io.hexbus.api.transport.TransportTimeoutException;
import io.hexbus.api.transport.TransportUnavailableException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking writes to Kafka, and the one mapping of a Kafka client's failure onto the API's transport-neutral
 * exceptions, for the transport's topics: a call that did not answer in time is a {@link TransportTimeoutException},
 * any other failure a {@link TransportUnavailableException}; each message says what was done and names the
 * cluster. Stateless.
 */
final class KafkaCalls {

    private KafkaCalls() {
    }

    /**
     * Sends a record and waits until the cluster acknowledged it. The producer's own timeouts end a send first; the
     * wait here is bounded by three command timeouts in case the cluster hangs.
     *
     * @param producer the producer
     * @param record   the record
     * @param what     what the write does, for the message of its failure
     * @param settings the command timeout
     * @param servers  the cluster, for the message
     * @return what the cluster acknowledged: the record's partition, offset and timestamp
     * @throws TransportUnavailableException if it was not acknowledged; it may still have been written
     */
    static RecordMetadata write(Producer<String, String> producer, ProducerRecord<String, String> record, String what,
                      KafkaQueueSettings settings, String servers) {
        return writeAll(producer, List.of(record), what, settings, servers).get(0);
    }

    /**
     * Sends records one after the other without waiting, then waits until the cluster acknowledged every one: one
     * round trip for the lot where {@link #write} would take one each. Records to one partition keep their order
     * (the producer is idempotent). The wait is bounded by three command timeouts in all, as {@link #write}'s.
     *
     * @param producer the producer
     * @param records  the records, in the order to send them
     * @param what     what the writes do, for the message of a failure
     * @param settings the command timeout
     * @param servers  the cluster, for the message
     * @return what the cluster acknowledged, in the records' order
     * @throws TransportUnavailableException if any was not acknowledged (the first failure seen; others, and even
     *                                       the failed one, may still have been written)
     */
    static List<RecordMetadata> writeAll(Producer<String, String> producer, List<ProducerRecord<String, String>> records, String what,
                         KafkaQueueSettings settings, String servers) {
        long bound = settings.commandTimeout().multipliedBy(3).toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bound);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, String> record : records) {
                sent.add(producer.send(record));
            }
            List<RecordMetadata> written = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> future : sent) {
                written.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return written;
        } catch (KafkaException | IllegalStateException e) { // the second: the producer is closed
            throw translate(e, what, servers);
        } catch (TimeoutException e) {
            throw new TransportTimeoutException(what + ": Kafka at " + servers + " did not acknowledge within "
                    + bound + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportUnavailableException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what, servers);
        }
    }

    /** Room for a record's key, headers and framing beyond the envelope the codec allows. */
    static final int RECORD_OVERHEAD = 64 * 1024;

    /**
     * The configuration of an admin client whose calls are bounded by the command timeout.
     *
     * @param connection where the cluster is
     * @param settings   the command timeout
     * @return a new, modifiable configuration
     */
    static Map<String, Object> adminConfig(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        int timeout = (int) settings.commandTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return config;
    }

    /**
     * The configuration of a producer whose writes are durable and bounded: {@code acks=all}, idempotent, sent at
     * once, blocked and timed out within the command timeout (a send ends within about twice of it).
     *
     * @param connection     where the cluster is
     * @param settings       the command timeout
     * @param maxRecordBytes the largest record it sends
     * @return a new, modifiable configuration
     */
    static Map<String, Object> producerConfig(KafkaConnectionSettings connection, KafkaQueueSettings settings,
                                              int maxRecordBytes) {
        int timeout = (int) settings.commandTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout * 2);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        return config;
    }

    /**
     * Starts a producer of string keys and values.
     *
     * @param config  its configuration
     * @param servers the cluster, for the message
     * @return the producer
     * @throws TransportUnavailableException if it cannot be started
     */
    static Producer<String, String> producer(Map<String, Object> config, String servers) {
        try {
            return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        } catch (KafkaException e) {
            throw new TransportUnavailableException("cannot start a producer for Kafka at " + servers + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The configuration of a consumer that reads a topic of the transport to its end offsets (no group, nothing
     * committed): committed records only; never creating the topic, which would then lack its cleanup policy,
     * retention and partitions; a short fetch wait, since a read stops at offsets it knows and a fetch past them
     * would be held by the broker for its default 500 ms (which closing the consumer waits for); calls bounded by
     * the command timeout.
     *
     * @param connection where the cluster is
     * @param settings   the command timeout
     * @return a new, modifiable configuration
     */
    static Map<String, Object> readerConfig(KafkaConnectionSettings connection, KafkaQueueSettings settings) {
        int timeout = (int) settings.commandTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection.clientProperties());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return config;
    }

    /**
     * @param e       a Kafka client's failure
     * @param what    what was being done
     * @param servers the cluster
     * @return the API's form of it: a timeout, or unavailable
     */
    static TransportUnavailableException translate(Throwable e, String what, String servers) {
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) { // Kafka's, not the JDK's
            return new TransportTimeoutException(what + ": Kafka at " + servers + " did not answer in time: "
                    + e.getMessage(), e);
        }
        return new TransportUnavailableException(what + ": Kafka at " + servers + ": " + e.getMessage(), e);
    }
}
