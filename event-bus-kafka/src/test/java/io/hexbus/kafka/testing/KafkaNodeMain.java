package io.hexbus.kafka.testing;

import kafka.tools.StorageTool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The main class of a Kafka node's JVM ({@link KafkaCluster} starts it): formats the node's storage unless it
 * already holds a cluster's metadata, then runs {@code kafka.Kafka}, the broker's own main class.
 *
 * <p>Arguments: the node's {@code server.properties} and the cluster id. It stops itself ({@link Runtime#halt}) when
 * its standard input ends, which happens when the JVM that started it is gone, however it went (SIGKILL too): a
 * broker can never outlive the test run that wanted it. Its parent keeps that pipe open and never writes to it.
 */
final class KafkaNodeMain {

    private KafkaNodeMain() {
    }

    /**
     * @param args the node's configuration file and the cluster id
     * @throws IOException if the configuration cannot be read
     */
    public static void main(String[] args) throws IOException {
        Thread watchdog = new Thread(KafkaNodeMain::haltWhenTheParentIsGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        String config = args[0];
        String clusterId = args[1];
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(config))) {
            properties.load(in);
        }
        // A restarted node keeps its data: format only an empty log directory, as kafka-storage.sh would be run
        // once, before the first start. StorageTool.execute, not main, which would exit this JVM.
        if (!Files.exists(Path.of(properties.getProperty("log.dirs"), "meta.properties"))) {
            int formatted = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", config},
                    System.out);
            if (formatted != 0) {
                System.out.println("kafka-storage format failed: " + formatted);
                Runtime.getRuntime().halt(2);
            }
        }
        kafka.Kafka.main(new String[] {config});
    }

    private static void haltWhenTheParentIsGone() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; read until the pipe ends
            }
        } catch (IOException ended) {
            // the pipe broke: the parent is gone as well
        }
        System.out.println("the JVM that started this broker is gone: halting");
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }
}
